import Foundation
import VaneDecisions

/// The `--json` shape of `vane thresholds evaluate` (issue 5's contract).
struct ThresholdsEvaluationOutput: Encodable {
    struct Result: Encodable {
        let recall: Double, precision: Double, accepted: Int, meetsTarget: Bool, reachedOnValidation: Bool
        /// The drift check: P(precision this low | precision still at target).
        let belowTargetPValue: Double
        enum CodingKeys: String, CodingKey {
            case recall, precision, accepted, meetsTarget = "meets_target", reachedOnValidation = "reached_on_validation"
            case belowTargetPValue = "below_target_p_value"
        }
    }
    let rows: Int
    let positives: Int
    let testRows: Int
    let estimator: String
    let policies: [String: [String: Result]]
    let curve: [String: [String: Double]]
    /// Per 2-D policy and target: [uncertainty bins, score bins] used.
    let bins: [String: [String: [Int]]]
    /// With --estimator auto: each candidate's validation score.
    let estimatorTrials: [String: Double]
    struct RiskControl: Encodable {
        let candidates: Int, passed: Int, learningRows: Int, calibrationRows: Int, pValue: Double?
        enum CodingKeys: String, CodingKey {
            case candidates, passed, learningRows = "learning_rows", calibrationRows = "calibration_rows", pValue = "p_value"
        }
    }
    /// With --risk-control ltt: per policy and target, what Learn then Test did.
    let riskControl: [String: [String: RiskControl]]
    enum CodingKeys: String, CodingKey { case rows, positives, testRows = "test_rows", estimator, policies, curve, bins, riskControl = "risk_control", estimatorTrials = "estimator_trials" }

    init(outcome: DecisionExperiment.Outcome, estimator: String, targets: [Double]) {
        rows = outcome.rows
        positives = outcome.positives
        testRows = outcome.testRows
        self.estimator = estimator
        func key(_ target: Double) -> String { String(format: "%g", target) }
        var policies: [String: [String: Result]] = [:]
        for (kind, byTarget) in outcome.policies {
            for (target, e) in byTarget {
                let reached = outcome.fitted[kind]?[target]?.fit.reachedTarget ?? false
                policies[kind.rawValue, default: [:]][key(target)] = Result(recall: e.recall, precision: e.precision, accepted: e.accepted,
                                                                            meetsTarget: e.meetsTarget, reachedOnValidation: reached,
                                                                            belowTargetPValue: e.belowTargetPValue)
            }
        }
        self.policies = policies
        bins = Dictionary(uniqueKeysWithValues: outcome.bins.map { kind, byTarget in
            (kind.rawValue, Dictionary(uniqueKeysWithValues: byTarget.map { (key($0.key), [$0.value.uncertaintyBins, $0.value.scoreBins]) }))
        })
        curve = outcome.curve.mapValues { byTarget in Dictionary(uniqueKeysWithValues: byTarget.map { (key($0.key), $0.value) }) }
        estimatorTrials = Dictionary(uniqueKeysWithValues: outcome.estimatorTrials.map { ($0.estimator.rawValue, $0.score) })
        riskControl = Dictionary(uniqueKeysWithValues: outcome.riskControl.map { kind, byTarget in
            (kind.rawValue, Dictionary(uniqueKeysWithValues: byTarget.map { target, report in
                (key(target), RiskControl(candidates: report.candidates, passed: report.passed, learningRows: report.learningExamples,
                                          calibrationRows: report.calibrationExamples, pValue: report.pValue))
            }))
        })
    }
}
