import Testing
import VaneMetrics

@Suite("Metrics against hand values and scikit-learn")
struct MetricsTests {
    typealias Reference = SklearnReference

    @Test func aucHandValues() {
        // Perfect, inverted and all-tied rankings.
        #expect(BinaryClassificationMetrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [false, false, true, true]) == 1)
        #expect(BinaryClassificationMetrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [false, false, true, true]) == 0)
        #expect(BinaryClassificationMetrics.rocAUC(scores: [0.5, 0.5, 0.5], labels: [true, false, false]) == 0.5)
        // One swapped pair of 4: pairs (p1 > n1, p1 > n2, p2 > n1, p2 < n2) -> 3/4.
        #expect(BinaryClassificationMetrics.rocAUC(scores: [0.1, 0.6, 0.5, 0.9], labels: [false, false, true, true]) == 0.75)
        #expect(BinaryClassificationMetrics.rocAUC(scores: [0.1, 0.2], labels: [true, true]) == nil)
    }

    @Test func aucMatchesSklearn() throws {
        let auc = try #require(BinaryClassificationMetrics.rocAUC(scores: Reference.scores, labels: Reference.labels))
        #expect(abs(auc - Reference.expectedAUC) < 1e-9)
    }

    @Test func averagePrecisionHandValueAndSklearn() throws {
        // Ranking: +, -, +  -> AP = 0.5 * 1 + 0.5 * 2/3.
        let ap = try #require(BinaryClassificationMetrics.averagePrecision(scores: [0.9, 0.8, 0.7], labels: [true, false, true]))
        #expect(abs(ap - (0.5 + 1.0 / 3)) < 1e-12)
        let reference = try #require(BinaryClassificationMetrics.averagePrecision(scores: Reference.scores, labels: Reference.labels))
        #expect(abs(reference - Reference.expectedAveragePrecision) < 1e-9)
        #expect(BinaryClassificationMetrics.averagePrecision(scores: [0.3], labels: [false]) == nil)
    }

    @Test func logLossHandValueAndSklearn() {
        let handValue = BinaryClassificationMetrics.logLoss(probabilities: [0.5, 0.9], labels: [true, false])
        #expect(abs(handValue - (0.693147180560 + 2.302585092994) / 2) < 1e-9)
        #expect(abs(BinaryClassificationMetrics.logLoss(probabilities: Reference.probabilities, labels: Reference.labels)
                    - Reference.expectedLogLoss) < 1e-9)
        #expect(abs(BinaryClassificationMetrics.logLoss(probabilities: Reference.probabilities, labels: Reference.labels,
                                                        weights: Reference.weights) - Reference.expectedWeightedLogLoss) < 1e-9)
        // A confident mistake is large but finite.
        #expect(BinaryClassificationMetrics.logLoss(probabilities: [1.0], labels: [false]).isFinite)
    }

    @Test func recallAtPrecisionMatchesSklearn() {
        let curve = PrecisionRecallCurve(scores: Reference.scores, labels: Reference.labels)
        #expect(abs(curve.maximumRecall(atPrecision: 0.7) - Reference.expectedRecallAtPrecision70) < 1e-9)
        #expect(abs(curve.maximumRecall(atPrecision: 0.85) - Reference.expectedRecallAtPrecision85) < 1e-9)
        #expect(curve.maximumRecall(atPrecision: 1.01) == 0)
    }

    @Test func precisionRecallCurveGroupsTies() {
        let curve = PrecisionRecallCurve(scores: [0.9, 0.5, 0.5, 0.1], labels: [true, true, false, false])
        #expect(curve.points.count == 3)
        #expect(curve.points[1].predictedPositives == 3 && curve.points[1].truePositives == 2)
        #expect(curve.points[1].precision == 2.0 / 3)
        #expect(curve.points[2].recall == 1)
    }

    @Test func rankingHandValues() {
        let ranks: [Double] = [1, 3, 12, 2.5]
        #expect(RankingMetrics.hitRate(ranks: ranks, cutoff: 1) == 0.25)
        #expect(RankingMetrics.hitRate(ranks: ranks, cutoff: 3) == 0.75)
        #expect(abs(RankingMetrics.meanReciprocalRank(ranks: ranks) - (1 + 1.0 / 3 + 1.0 / 12 + 0.4) / 4) < 1e-12)
        let expectedNDCG = (1 + 1 / 2.0 + 1 / 1.8073549220576042) / 4  // log2(4) = 2, log2(3.5)
        #expect(abs(RankingMetrics.ndcg(ranks: ranks, cutoff: 10) - expectedNDCG) < 1e-12)
        #expect(RankingMetrics.meanReciprocalRank(ranks: []) == 0)
    }
}

@Suite("Seed summaries")
struct SeedSummaryTests {
    @Test func meanSampleDeviationAndPairedDifferences() {
        let a = SeedSummary([0.30, 0.32, 0.28]), b = SeedSummary([0.25, 0.33, 0.20])
        #expect(abs(a.mean - 0.30) < 1e-12)
        #expect(abs(a.standardDeviation - 0.02) < 1e-12)   // sqrt((0.0004 + 0 + 0.0004) / 2)
        let (difference, wins) = a.paired(minus: b)
        #expect(difference.values.map { ($0 * 100).rounded() / 100 } == [0.05, -0.01, 0.08])
        #expect(wins == 2)
        #expect(SeedSummary([1]).standardDeviation == 0)
        #expect(a.formatted() == "0.300 ± 0.020")
    }
}
