import Foundation
import Testing
import VaneTensor
@testable import VaneDecisions

/// Examples whose positive rate rises with score and falls with uncertainty (the paper's premise).
func premiseExamples(count: Int, seed: UInt64) -> ScoredExamples {
    var generator = SeededGenerator(seed: seed)
    var scores: [Double] = [], uncertainties: [Double] = [], labels: [Bool] = []
    for _ in 0..<count {
        let score = generator.nextUnitDouble(), uncertainty = generator.nextUnitDouble()
        let rate = score * (1 - 0.6 * uncertainty)
        scores.append(score); uncertainties.append(uncertainty); labels.append(generator.nextUnitDouble() < rate)
    }
    return try! ScoredExamples(scores: scores, uncertainties: uncertainties, labels: labels)
}

@Suite("Threshold policies")
struct PolicyTests {
    @Test func isotonicRegressionHandValues() {
        // Labels by score: 0 1 0 1 1 -> PAV pools (1, 0) into 0.5.
        let fit = IsotonicRegression(scores: [0.1, 0.2, 0.3, 0.4, 0.5], labels: [false, true, false, true, true])
        #expect(fit.values == [0, 0.5, 1])
        #expect(fit.blockStarts == [0.1, 0.2, 0.4])
        #expect(fit.predict(0.25) == 0.5 && fit.predict(0.05) == 0 && fit.predict(9) == 1)
        #expect(zip(fit.values, fit.values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func wilsonBoundHandValue() {
        // 8 of 10 at 95% one-sided (z = 1.6449):
        // (0.8 + z^2/20 - z sqrt((0.16 + z^2/40) / 10)) / (1 + z^2/10) = 0.68711 / 1.27055 = 0.54079.
        let value = PrecisionBound.wilson(confidence: 0.95).value(truePositives: 8, predictedPositives: 10)
        #expect(abs(value - 0.54079) < 1e-4)
        #expect(PrecisionBound.pointEstimate.value(truePositives: 8, predictedPositives: 10) == 0.8)
        #expect(abs(PrecisionBound.normalQuantile(0.975) - 1.959964) < 1e-5)
    }

    @Test(arguments: ThresholdPolicy.Kind.allCases)
    func policiesMeetTheirTargetOnFittingData(kind: ThresholdPolicy.Kind) throws {
        let data = premiseExamples(count: 4000, seed: 1)
        for target in [0.6, 0.75, 0.9] {
            let policy = try ThresholdPolicyFitter(targetPrecision: target).fit(kind, on: data)
            #expect(policy.fit.reachedTarget)
            #expect(policy.fit.precision >= target)
            #expect(PolicyEvaluation(policy: policy, on: data).precision >= target)
        }
    }

    @Test func singleThresholdIsTheMaximumRecallPoint() throws {
        let data = premiseExamples(count: 500, seed: 2)
        let policy = try ThresholdPolicyFitter(targetPrecision: 0.7).fit(.single, on: data)
        // Brute force over every distinct score.
        var bestRecall = 0.0
        for threshold in Set(data.scores) {
            let accepted = data.scores.indices.filter { data.scores[$0] >= threshold }
            let tp = accepted.filter { data.labels[$0] }.count
            if Double(tp) / Double(accepted.count) >= 0.7 { bestRecall = max(bestRecall, Double(tp) / Double(data.positiveCount)) }
        }
        #expect(abs(policy.fit.recall - bestRecall) < 1e-12)
    }

    /// On small instances with exactly equal-mass bins, EW-DPMT's programme equals exhaustive search
    /// over every combination of per-bin thresholds.
    @Test(arguments: [3, 4, 5] as [UInt64])
    func ewDPMTEqualsExhaustiveSearch(seed: UInt64) throws {
        let (uBins, sBins, perCell) = (3, 4, 5)
        var generator = SeededGenerator(seed: seed)
        var scores: [Double] = [], uncertainties: [Double] = [], labels: [Bool] = []
        for u in 0..<uBins {
            for s in 0..<(sBins * perCell) {
                scores.append(Double(s) + generator.nextUnitDouble() * 0.5)
                uncertainties.append(Double(u) + 0.1 * generator.nextUnitDouble())
                labels.append(generator.nextUnitDouble() < Double(s) / Double(sBins * perCell) * (1 - 0.3 * Double(u)))
            }
        }
        let data = try ScoredExamples(scores: scores, uncertainties: uncertainties, labels: labels)
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.65, uncertaintyBins: uBins, scoreBins: sBins, minimumBinSize: perCell)
        let policy = try fitter.fit(.ewDPMT, on: data)
        #expect(policy.uncertaintyCuts.count == uBins - 1)
        // Exhaustive: each bin picks a threshold among its score-bin cuts or "none".
        let members = (0..<uBins).map { b in (0..<data.count).filter { policy.uncertaintyBin(data.uncertainties[$0]) == b } }
        let options = members.map { indices -> [Double] in
            let binScores = indices.map { data.scores[$0] }
            return [.infinity] + ([binScores.min()!] + ThresholdPolicyFitter.equalMassCuts(binScores, bins: sBins))
        }
        var bestTP = 0
        func search(_ bin: Int, _ thresholds: [Double]) {
            guard bin < uBins else {
                var tp = 0, pp = 0
                for (b, indices) in members.enumerated() {
                    for i in indices where data.scores[i] >= thresholds[b] {
                        pp += 1
                        if data.labels[i] { tp += 1 }
                    }
                }
                if pp > 0 && Double(tp) / Double(pp) >= 0.65 { bestTP = max(bestTP, tp) }
                return
            }
            for threshold in options[bin] { search(bin + 1, thresholds + [threshold]) }
        }
        search(0, [])
        #expect(abs(policy.fit.recall * Double(data.positiveCount) - Double(bestTP)) < 1e-9)
    }

    /// MIST's per-bin thresholds equal a brute-force greedy: accept examples in decreasing order of
    /// recalibrated value while the accepted set keeps precision >= target, and take the largest such set.
    @Test func mistEqualsBruteGreedy() throws {
        let data = premiseExamples(count: 2000, seed: 6)
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.7, uncertaintyBins: 4)
        let policy = try fitter.fit(.mist, on: data)
        let calibrated = (0..<data.count).map { policy.recalibratedScore(score: data.scores[$0], uncertainty: data.uncertainties[$0]) }
        var bestTP = 0
        for threshold in Set(calibrated) {
            let accepted = (0..<data.count).filter { calibrated[$0] >= threshold }
            let tp = accepted.filter { data.labels[$0] }.count
            if Double(tp) / Double(accepted.count) >= 0.7 { bestTP = max(bestTP, tp) }
        }
        #expect(abs(policy.fit.recall * Double(data.positiveCount) - Double(bestTP)) < 1e-9)
    }

    @Test func perUncertaintyThresholdsHelpWhenThePremiseHolds() throws {
        // Fit on one sample, test on another. Positive rate = score x (1 - 0.6 uncertainty), so even the
        // top scores average 0.7: a single threshold cannot reach precision 0.8, MIST can (it accepts
        // high scores of certain examples only), and at 0.6 MIST's recall is clearly higher. A Wilson
        // bound keeps both from overfitting their fitting sample.
        let fitData = premiseExamples(count: 20_000, seed: 7), testData = premiseExamples(count: 20_000, seed: 8)
        func compare(_ target: Double) throws -> (single: PolicyEvaluation, mist: PolicyEvaluation) {
            let fitter = ThresholdPolicyFitter(targetPrecision: target, bound: .wilson(confidence: 0.95), uncertaintyBins: 8)
            return (PolicyEvaluation(policy: try fitter.fit(.single, on: fitData), on: testData),
                    PolicyEvaluation(policy: try fitter.fit(.mist, on: fitData), on: testData))
        }
        let high = try compare(0.8)
        #expect(high.single.accepted == 0 && high.mist.meetsTarget && high.mist.recall > 0.1, "\(high)")
        let middle = try compare(0.6)
        #expect(middle.single.meetsTarget && middle.mist.meetsTarget, "\(middle)")
        #expect(middle.mist.recall > middle.single.recall * 1.1, "\(middle)")
    }

    @Test func binCountsAreChosenInsideValidation() throws {
        let validation = premiseExamples(count: 8_000, seed: 3), test = premiseExamples(count: 20_000, seed: 4)
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.6)
        var generator = SeededGenerator(seed: 1)
        // One candidate: the same policy as fitting those counts directly.
        let fixed = try fitter.fitChoosingBins(.ewDPMT, on: validation, uncertaintyCandidates: [3], scoreCandidates: [15], using: &generator)
        var direct = fitter
        direct.uncertaintyBins = 3
        direct.scoreBins = 15
        #expect(fixed.policy == (try direct.fit(.ewDPMT, on: validation)))
        #expect(fixed.bins == .init(uncertaintyBins: 3, scoreBins: 15))
        // Several: the choice is one of them, seeded, and (the premise holding) MIST with the chosen
        // count beats the single threshold on fresh data.
        var first = SeededGenerator(seed: 2), second = SeededGenerator(seed: 2)
        let chosen = try fitter.fitChoosingBins(.mist, on: validation, using: &first)
        #expect(chosen.policy == (try fitter.fitChoosingBins(.mist, on: validation, using: &second)).policy)
        #expect([2, 4, 8].contains(chosen.bins.uncertaintyBins))
        let mist = PolicyEvaluation(policy: chosen.policy, on: test)
        let single = PolicyEvaluation(policy: try fitter.fit(.single, on: validation), on: test)
        #expect(mist.meetsTarget && mist.recall > single.recall, "mist \(mist), single \(single)")
        #expect { try fitter.fitChoosingBins(.mist, on: validation, uncertaintyCandidates: [], using: &generator) } throws: {
            ($0 as? DecisionError)?.code == .invalidConfiguration
        }
    }

    @Test func unreachableTargetAcceptsNothingAndSaysSo() throws {
        let data = try ScoredExamples(scores: [0.1, 0.2, 0.3, 0.4], uncertainties: [0, 0, 0, 0], labels: [true, false, false, false])
        let policy = try ThresholdPolicyFitter(targetPrecision: 0.99, minimumBinSize: 1).fit(.mist, on: data)
        #expect(!policy.fit.reachedTarget && policy.fit.recall == 0)
        #expect(!policy.decide(score: 1e9, uncertainty: 0))
    }

    @Test func badInputNamed() {
        #expect { _ = try ScoredExamples(scores: [0.1, .nan], uncertainties: [0, 0], labels: [true, false]) } throws: {
            ($0 as? DecisionError)?.code == .invalidInput && "\($0)".contains("example 2 (1-based)")
        }
        #expect { _ = try ScoredExamples(scores: [0.1, 0.2], uncertainties: [-1, .infinity], labels: [true, false]) } throws: {
            "\($0)".contains("uncertainty of example 2")  // negative is a valid measure (Beta entropy); infinity is not
        }
        #expect(throws: DecisionError.self) { _ = try ThresholdPolicyFitter(targetPrecision: 1.5).validate() }
    }

    @Test func policyJSONRoundTrip() throws {
        let policy = try ThresholdPolicyFitter(targetPrecision: 0.7).fit(.mist, on: premiseExamples(count: 1000, seed: 9))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-policy-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try policy.jsonData().write(to: URL(fileURLWithPath: path))
        #expect(try ThresholdPolicy.load(path: path) == policy)
        #expect(throws: DecisionError.self) { _ = try ThresholdPolicy.load(path: path + ".missing") }
    }
}

@Suite("Radix sort")
struct RadixSortTests {
    @Test func orderStatisticsMatchTheSortedArray() {
        var generator = SeededGenerator(seed: 12)
        // Sizes on both sides of the histogram path (2^16 values and up).
        for count in [1, 7, 33, 1000, 50_000, 70_000, 300_000] {
            // Few distinct values (many ties), continuous ones, one constant, and a heavy skew that
            // puts almost everything into the lowest bucket (values spanning 1e-300 to 1e300).
            let tied = (0..<count).map { _ in Double(generator.nextIndex(below: 9)) }
            let continuous = (0..<count).map { _ in generator.nextGaussian() }
            let constant = [Double](repeating: 2.5, count: count)
            let skewed = (0..<count).map { _ in pow(10, 600 * generator.nextUnitDouble() - 300) * (generator.nextIndex(below: 2) == 0 ? 1 : -1) }
            for values in [tied, continuous, constant, skewed] {
                let sorted = values.sorted()
                let ranks = [0, count / 3, count / 2, count / 2, (2 * count) / 3, count - 1].sorted()
                #expect(values.orderStatistics(ranks) == ranks.map { sorted[$0] })
                #expect(values.quickselectOrderStatistics(ranks) == ranks.map { sorted[$0] })
            }
        }
    }

    @Test func matchesTheStandardSort() {
        var generator = SeededGenerator(seed: 9)
        var values = (0..<5000).map { _ in (generator.nextUnitDouble() - 0.5) * 1e6 }
        values += [0, -0.0, .infinity, -.infinity, 1e-300, -1e-300, 3, 3, 3]
        #expect(values.radixSorted() == values.sorted())
        #expect([2.0, 1.0].radixSorted() == [1.0, 2.0])
    }
}
