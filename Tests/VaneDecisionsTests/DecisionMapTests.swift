import Testing
@testable import VaneDecisions

@Suite("Decision maps and premise curves")
struct DecisionMapTests {
    /// 8 examples by hand: uncertainty 0 or 1, scores 0.1...0.8.
    static let examples = try! ScoredExamples(
        scores: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
        uncertainties: [0, 1, 0, 1, 0, 1, 0, 1],
        labels: [false, false, true, false, true, false, true, true])

    static let handPolicy = ThresholdPolicy(
        kind: .mist, targetPrecision: 0.7, bound: .pointEstimate, uncertaintyCuts: [0.5], scoreThresholds: [0.5, 0.75], calibrations: [],
        fit: .init(examples: 8, precision: 1, recall: 1, reachedTarget: true))

    @Test func cellsCountRatesAndAcceptanceByHand() {
        // Two uncertainty bins split at 0.5; accept score >= 0.5 when certain, >= 0.75 when not.
        let policy = Self.handPolicy
        let map = DecisionMap(policy: policy, examples: Self.examples, scoreBins: 2)
        // Score cut at the 4th-smallest-rank value 0.5: bin 0 = {0.1..0.4}, bin 1 = {0.5..0.8}.
        #expect(map.counts == [[2, 2], [2, 2]])
        #expect(map.positiveRates == [[0.5, 1.0], [0.0, 0.5]])
        #expect(map.accepted == [[false, true], [false, true]])  // uncertain high bin: 0.8 accepted, 0.6 not: half
    }

    @Test func premiseCurvesByHand() {
        let curves = PremiseCurves(examples: Self.examples, scoreBands: 2, uncertaintyBins: 2)
        #expect(curves.bands.count == 2)
        #expect(curves.bands[0].scoreRange == 0.1...0.4)
        // Low band: certain {0.1 no, 0.3 yes} -> 0.5, uncertain {0.2 no, 0.4 no} -> 0.
        #expect(curves.bands[0].points.map(\.positiveRate) == [0.5, 0])
        // High band: certain {0.5, 0.7 yes} -> 1, uncertain {0.6 no, 0.8 yes} -> 0.5.
        #expect(curves.bands[1].points.map(\.positiveRate) == [1, 0.5])
        #expect(curves.bands[1].points.map(\.quantile) == [0.25, 0.75])
    }

    @Test func plotsAreStandaloneSVG() {
        let policy = Self.handPolicy
        let boundary = DecisionMap(policy: policy, examples: Self.examples, scoreBins: 2).svg(title: "t <1>", policyName: "mist")
        #expect(boundary.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && boundary.hasSuffix("</svg>"))
        #expect(boundary.contains("t &lt;1&gt;") && boundary.contains("accepted by mist"))
        let premise = PremiseCurves(examples: Self.examples, scoreBands: 2, uncertaintyBins: 2).svg(title: "premise")
        #expect(premise.components(separatedBy: "<polyline").count == 3)
    }
}
