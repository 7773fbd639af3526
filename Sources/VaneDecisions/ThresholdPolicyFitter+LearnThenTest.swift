import Foundation

/// Risk-controlled fitting by Learn then Test (Angelopoulos, Bates, Candès, Jordan, Lei 2021,
/// "Learn then Test: Calibrating Predictive Algorithms to Achieve Risk Control"), for every policy kind.
///
/// The fitting rows are cut in two, in the order given: the first part *learns* a path of candidate
/// policies, the last `calibrationFraction` *tests* them (time-ordered rows therefore calibrate on
/// the most recent window). The path: the policy fitted on the learning part (point estimate) at
/// internal targets from target + `pathSpan` down to target, step 0.01, keeping those that pass the
/// test below on the learning part. Each candidate's null "precision < target" is tested on the
/// calibration part with the exact binomial p-value P(Bin(PP, target) >= TP). Fixed-sequence testing
/// goes through the candidates in the order of their p-values on the learning part, strongest
/// evidence first (ties: more true positives first), rejects while p <= delta and stops at the first
/// failure; of the rejected candidates the one with the most true positives on the calibration part
/// is returned (none: accept nothing). Since the path and its order do not depend on the calibration
/// rows, on exchangeable data the chance that any rejected candidate has precision < target on new
/// data is <= delta (family-wise error control of fixed-sequence testing, Learn then Test section
/// 3.2: an order learned on separate data), so the returned one keeps the promise with probability
/// >= 1 - delta whichever of them is picked.
///
/// Why this order: going from the most conservative candidate, as an earlier version did, the first
/// test was on the few rows a near-certain policy accepts; a small calibration sample at a precision
/// regressed from its selected learning value failed that test, and the sequence stopped there with
/// nothing accepted although larger candidates would have passed (on time-split click logs the
/// single threshold accepted nothing on 2-4 of 5 seeds at precision 0.6). The learning p-value
/// weighs margin and size together, so the first tests go to the candidates most likely to pass.
/// Cost: one fit per path step on the learning part plus one pass over the calibration part per step.
extension ThresholdPolicyFitter {
    /// Settings of the procedure.
    public struct LearnThenTest: Sendable, Equatable {
        /// The error level: the chance that the returned policy's precision on new data is below target.
        public var delta: Double
        /// Share of the fitting rows (the last ones) that test the candidates.
        public var calibrationFraction: Double
        /// How far above the target the path starts.
        public var pathSpan: Double

        public init(delta: Double = 0.1, calibrationFraction: Double = 0.5, pathSpan: Double = 0.3) {
            self.delta = delta
            self.calibrationFraction = calibrationFraction
            self.pathSpan = pathSpan
        }

        /// How many of `count` fitting rows (the last ones) calibrate; the rest learn.
        public func calibrationCount(of count: Int) -> Int { Int((Double(count) * calibrationFraction).rounded()) }

        public func validate() throws(DecisionError) {
            guard delta > 0, delta < 0.5 else {
                throw DecisionError(.invalidConfiguration, "delta must be in (0, 0.5), got \(delta)", field: "delta")
            }
            guard calibrationFraction >= 0.1, calibrationFraction <= 0.9 else {
                throw DecisionError(.invalidConfiguration, "calibration fraction must be in [0.1, 0.9], got \(calibrationFraction)",
                                    field: "calibrationFraction")
            }
            guard pathSpan >= 0, pathSpan <= 1 else {
                throw DecisionError(.invalidConfiguration, "path span must be in [0, 1], got \(pathSpan)", field: "pathSpan")
            }
        }
    }

    /// What the test did, for reports.
    public struct LearnThenTestReport: Sendable, Equatable {
        public let candidates: Int
        /// Candidates rejected (shown to meet the target) before the first failure.
        public let passed: Int
        public let learningExamples: Int
        public let calibrationExamples: Int
        /// p-value of the returned candidate (nil when none passed).
        public let pValue: Double?
    }

    /// The risk-controlled policy of `kind` on `data` (rows in the order that matters: the last ones
    /// calibrate). This fitter's bins are used for every candidate; its `bound` is ignored (the test
    /// is exact), and the returned policy records `.clopperPearson(confidence: 1 - delta)`.
    public func fitLearnThenTest(_ kind: ThresholdPolicy.Kind, on data: ScoredExamples,
                                 settings: LearnThenTest = LearnThenTest()) throws(DecisionError) -> (policy: ThresholdPolicy, report: LearnThenTestReport) {
        try validate()
        try settings.validate()
        let calibrationCount = settings.calibrationCount(of: data.count)
        guard calibrationCount >= 1, data.count - calibrationCount >= 1 else {
            throw DecisionError(.invalidInput, "learn then test needs rows to learn and to calibrate on; got \(data.count)")
        }
        let learning = data.subset(Array(0..<(data.count - calibrationCount)))
        let calibration = data.subset(Array((data.count - calibrationCount)..<data.count))
        var internalTargets: [Double] = []
        var level = min(0.999, targetPrecision + settings.pathSpan)
        while level >= targetPrecision - 1e-9 {
            internalTargets.append(level)
            level -= 0.01
        }
        var exact = self
        exact.bound = .clopperPearson(confidence: 1 - settings.delta)
        var first: ThresholdPolicy?
        var previous: [Double]?
        // The cuts, recalibrations and candidate operating points do not depend on the target: fit
        // them once on the learning rows, then sweep them for each internal target.
        let structure = targetFreeFit(kind, on: learning)
        // Every candidate shares the structure's cuts: count what each accepts by binary search.
        let learningCounter = AcceptanceCounter(learning, cuts: structure.cuts, fitter: self)
        let calibrationCounter = AcceptanceCounter(calibration, cuts: structure.cuts, fitter: self)
        var path: [(policy: ThresholdPolicy, learningP: Double, learnedTP: Double)] = []
        for internalTarget in internalTargets {
            var learner = self
            learner.bound = .pointEstimate
            learner.targetPrecision = internalTarget
            let (candidate, learnedTP, learnedPP) = learner.policy(from: structure, data: learning, counter: learningCounter)
            // Consecutive internal targets often give the same policy: test it once.
            if candidate.uncertaintyCuts + candidate.scoreThresholds == previous { continue }
            previous = candidate.uncertaintyCuts + candidate.scoreThresholds
            first = first ?? candidate
            // The path keeps only candidates that pass the same test on the learning rows: a choice
            // made without the calibration rows.
            guard exact.bound.meets(target: targetPrecision, truePositives: learnedTP, predictedPositives: learnedPP) else { continue }
            let learningP = PrecisionBound.binomialUpperTail(successes: learnedTP, trials: learnedPP, probability: targetPrecision)
            path.append((candidate, learningP, learnedTP))
        }
        // Strongest learning evidence first; the order uses the learning rows only.
        let order = path.indices.sorted { (path[$0].learningP, -path[$0].learnedTP, $0) < (path[$1].learningP, -path[$1].learnedTP, $1) }
        var chosen: ThresholdPolicy?, chosenP: Double?, chosenTP = -1.0
        var passed = 0
        for index in order {
            let candidate = path[index].policy
            let (tp, pp) = calibrationCounter.counts(thresholds: candidate.scoreThresholds)
            // A candidate that accepts nothing cannot be wrong: it passes with p = 0.
            let p = pp > 0 ? PrecisionBound.binomialUpperTail(successes: tp, trials: pp, probability: targetPrecision) : 0
            guard p <= settings.delta else { break }
            passed += 1
            if pp > 0, tp > chosenTP {
                chosen = candidate
                chosenP = p
                chosenTP = tp
            }
        }
        let report = LearnThenTestReport(candidates: path.count, passed: passed, learningExamples: learning.count,
                                         calibrationExamples: calibration.count, pValue: chosenP)
        guard let chosen else {
            // Nothing shown to meet the target: the path's shape, accepting nothing.
            let shape = first!
            return (exact.makePolicy(kind, data: calibration, cuts: shape.uncertaintyCuts, thresholds: shape.scoreThresholds.map { _ in .infinity },
                                     calibrations: shape.calibrations), report)
        }
        // The tested policy as it is, with its calibration-part summary.
        return (exact.makePolicy(kind, data: calibration, cuts: chosen.uncertaintyCuts, thresholds: chosen.scoreThresholds,
                                 calibrations: chosen.calibrations), report)
    }
}
