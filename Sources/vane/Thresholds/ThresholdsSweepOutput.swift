import Foundation
import VaneDecisions
import VaneMetrics

/// The `--json` shape of `vane thresholds evaluate --seeds`: per policy and target, test recall and
/// precision over seeds, promises kept and broken, and each 2-D policy's honest and curve gains.
struct ThresholdsSweepOutput: Encodable {
    struct Cell: Encodable {
        let recall: SeedSummary, precision: SeedSummary
        let seedsMeeting: Int, seedsViolating: Int, seedsAcceptingNothing: Int, seedsDrifted: Int
        let honestGain: SeedSummary?, curveGain: SeedSummary?
        /// Seeds where this 2-D policy keeps its promise with some recall and the single threshold breaks it.
        let seedsKeepingWhereSingleBreaks: Int?
        /// `DecisionSweep.Gain.verdict`: wins, loses or undecided against the single threshold.
        let verdict: String?
        enum CodingKeys: String, CodingKey {
            case recall, precision, seedsMeeting = "seeds_meeting", seedsViolating = "seeds_violating", seedsDrifted = "seeds_drifted"
            case seedsAcceptingNothing = "seeds_accepting_nothing", honestGain = "honest_gain_vs_single", curveGain = "curve_gain_vs_raw"
            case seedsKeepingWhereSingleBreaks = "seeds_keeping_where_single_breaks", verdict
        }
    }
    /// Over every 2-D policy and target: cells won and lost (verdicts) and the best mean curve gain.
    struct Summary: Encodable {
        let cells: Int, cellsWon: Int, cellsLost: Int
        let bestCurveGain: SeedSummary?, bestCurveGainPolicy: String?, bestCurveGainTarget: String?
        enum CodingKeys: String, CodingKey {
            case cells, cellsWon = "cells_won", cellsLost = "cells_lost", bestCurveGain = "best_curve_gain"
            case bestCurveGainPolicy = "best_curve_gain_policy", bestCurveGainTarget = "best_curve_gain_target"
        }
    }
    let rows: Int
    let positives: Int
    let testRows: Int
    let estimator: String
    let seeds: [UInt64]
    let riskControlDelta: Double?
    /// Level at which the drift check flags a test window (delta with Learn then Test, else 0.05).
    let driftLevel: Double
    let policies: [String: [String: Cell]]
    let summary: Summary
    enum CodingKeys: String, CodingKey {
        case rows, positives, testRows = "test_rows", estimator, seeds, riskControlDelta = "risk_control_delta", driftLevel = "drift_level", policies
        case summary
    }

    init(sweep: DecisionSweep, estimator: String, targets: [Double], riskControl: ThresholdPolicyFitter.LearnThenTest?) {
        rows = sweep.outcomes[0].rows
        positives = sweep.outcomes[0].positives
        testRows = sweep.outcomes[0].testRows
        self.estimator = estimator
        seeds = sweep.seeds
        riskControlDelta = riskControl?.delta
        driftLevel = sweep.driftLevel
        var policies: [String: [String: Cell]] = [:]
        var gains: [(kind: ThresholdPolicy.Kind, target: Double, gain: DecisionSweep.Gain)] = []
        for kind in ThresholdPolicy.Kind.allCases {
            for target in targets {
                guard let cell = sweep.cell(kind, target: target) else { continue }
                let gain = sweep.gain(kind, target: target)
                if let gain { gains.append((kind, target, gain)) }
                policies[kind.rawValue, default: [:]][String(format: "%g", target)] = Cell(
                    recall: cell.recall, precision: cell.precision, seedsMeeting: cell.seedsMeeting, seedsViolating: cell.seedsViolating,
                    seedsAcceptingNothing: cell.seedsAcceptingNothing, seedsDrifted: cell.seedsDrifted,
                    honestGain: gain?.honest, curveGain: gain?.curve, seedsKeepingWhereSingleBreaks: gain?.seedsKeepingWhereSingleBreaks,
                    verdict: gain?.verdict().rawValue)
            }
        }
        self.policies = policies
        let best = gains.max { $0.gain.curve.mean < $1.gain.curve.mean }
        summary = Summary(cells: gains.count, cellsWon: gains.filter { $0.gain.verdict() == .wins }.count,
                          cellsLost: gains.filter { $0.gain.verdict() == .loses }.count,
                          bestCurveGain: best?.gain.curve, bestCurveGainPolicy: best?.kind.rawValue,
                          bestCurveGainTarget: best.map { String(format: "%g", $0.target) })
    }
}
