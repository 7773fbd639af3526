import Foundation
import Testing
@testable import VaneDecisions
import VaneTensor

/// Exchangeable examples: score s ~ U(0, 1), label ~ Bernoulli(s), uncertainty ~ U(0, 1) (uninformative),
/// so the precision of "accept s >= t" is exactly (1 + t) / 2.
private func examples(_ count: Int, using generator: inout SeededGenerator) throws -> ScoredExamples {
    var scores: [Double] = [], uncertainties: [Double] = [], labels: [Bool] = []
    for _ in 0..<count {
        let s = generator.nextUnitDouble()
        scores.append(s)
        uncertainties.append(generator.nextUnitDouble())
        labels.append(generator.nextUnitDouble() < s)
    }
    return try ScoredExamples(scores: scores, uncertainties: uncertainties, labels: labels)
}

@Suite("Learn then Test and exact binomial bounds")
struct LearnThenTestTests {
    @Test func binomialTailMatchesHandValuesAndDirectSums() {
        // P(Bin(10, 1/2) >= 8) = (45 + 10 + 1) / 1024.
        #expect(abs(PrecisionBound.binomialUpperTail(successes: 8, trials: 10, probability: 0.5) - 56.0 / 1024) < 1e-12)
        #expect(PrecisionBound.binomialUpperTail(successes: 0, trials: 10, probability: 0.3) == 1)
        #expect(PrecisionBound.binomialUpperTail(successes: 11, trials: 10, probability: 0.3) == 0)
        // Against the pmf summed term by term (log space), a large-n case.
        let n = 400.0, k = 230.0, p = 0.52
        var direct = 0.0
        for i in Int(k)...Int(n) {
            let x = Double(i)
            let logChoose: Double = lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1)
            let logPower: Double = x * log(p) + (n - x) * log1p(-p)
            direct += exp(logChoose + logPower)
        }
        #expect(abs(PrecisionBound.binomialUpperTail(successes: k, trials: n, probability: p) - direct) < 1e-10)
    }

    @Test func clopperPearsonLowerBoundAndItsTestAgree() {
        // All 10 of 10 correct: the 95% one-sided lower bound solves p^10 = 0.05.
        let bound = PrecisionBound.clopperPearson(confidence: 0.95)
        #expect(abs(bound.value(truePositives: 10, predictedPositives: 10) - pow(0.05, 0.1)) < 1e-9)
        #expect(bound.value(truePositives: 0, predictedPositives: 10) == 0)
        // meets(...) is the bound compared with the target, without inverting it.
        for (tp, pp) in [(70.0, 100.0), (8.0, 10.0), (600.0, 1000.0)] {
            let lower = bound.value(truePositives: tp, predictedPositives: pp)
            #expect(bound.meets(target: lower - 1e-6, truePositives: tp, predictedPositives: pp))
            #expect(!bound.meets(target: lower + 1e-6, truePositives: tp, predictedPositives: pp))
        }
        #expect(!bound.meets(target: 0.1, truePositives: 0, predictedPositives: 0))
    }

    @Test func policiesKeepTheirPromiseOnNewDataAtRateOneMinusDelta() throws {
        // 200 independent fits of a single threshold at target 0.8 (true threshold 0.6). With the
        // point estimate about half miss the target on new data; Learn then Test at delta 0.1 may
        // miss in at most ~10% (binomial slack: 3 sd of 200 trials is 0.064).
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.8)
        var generator = SeededGenerator(seed: 77)
        var lttMisses = 0, pointMisses = 0, lttRecall = 0.0
        let trials = 200
        for _ in 0..<trials {
            let data = try examples(1000, using: &generator)
            let point = try fitter.fit(.single, on: data)
            let (controlled, _) = try fitter.fitLearnThenTest(.single, on: data, settings: .init(delta: 0.1))
            func truePrecision(_ policy: ThresholdPolicy) -> Double? {
                let t = policy.scoreThresholds[0]
                return t.isFinite ? (1 + max(0, min(1, t))) / 2 : nil
            }
            if let precision = truePrecision(point), precision < 0.8 { pointMisses += 1 }
            if let precision = truePrecision(controlled), precision < 0.8 { lttMisses += 1 }
            if let t = controlled.scoreThresholds.first, t.isFinite { lttRecall += (1 - max(0, t) * max(0, t)) }
        }
        #expect(Double(pointMisses) / Double(trials) > 0.3, "point estimate misses: \(pointMisses)")
        #expect(Double(lttMisses) / Double(trials) <= 0.16, "learn then test misses: \(lttMisses)")
        // Not vacuous: the controlled policies still accept most of what the best threshold would
        // (recall at t = 0.6 is 1 - 0.36 = 0.64).
        #expect(lttRecall / Double(trials) > 0.4)
    }

    @Test(arguments: ThresholdPolicy.Kind.allCases)
    func oneTargetFreeFitGivesThePoliciesOfFullRefits(kind: ThresholdPolicy.Kind) throws {
        // Learn then Test sweeps one target-free fit instead of refitting per internal target: for
        // every target the policy (and its fit summary) must be exactly the full refit's.
        var generator = SeededGenerator(seed: 17)
        let data = try examples(20_000, using: &generator)
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.6)
        let structure = fitter.targetFreeFit(kind, on: data)
        let counter = AcceptanceCounter(data, cuts: structure.cuts, fitter: fitter)
        for target in stride(from: 0.5, through: 0.98, by: 0.04) {
            var learner = fitter
            learner.targetPrecision = target
            let swept = learner.policy(from: structure, data: data)
            #expect(swept.policy == (try learner.fit(kind, on: data)), "\(kind) at \(target)")
            let accepted = (0..<data.count).filter { swept.policy.decide(score: data.scores[$0], uncertainty: data.uncertainties[$0]) }
            #expect(Double(accepted.count) == swept.pp && Double(accepted.filter { data.labels[$0] }.count) == swept.tp)
            // The binary-search counter gives the same policy and counts as the pass.
            let counted = learner.policy(from: structure, data: data, counter: counter)
            #expect(counted.policy == swept.policy && counted.tp == swept.tp && counted.pp == swept.pp)
        }
        // The counter on thresholds that sit exactly on scores, and on infinity.
        let bins = structure.cuts.count + 1
        for k in 0..<20 {
            let thresholds = (0..<bins).map { b in k == 0 ? Double.infinity : data.scores[(k * 997 + b * 31) % data.count] }
            let draft = ThresholdPolicy(kind: kind, targetPrecision: 0.6, bound: .pointEstimate, uncertaintyCuts: structure.cuts,
                                        scoreThresholds: thresholds, calibrations: structure.calibrations,
                                        fit: .init(examples: 0, precision: 0, recall: 0, reachedTarget: false))
            let accepted = (0..<data.count).filter { draft.decide(score: data.scores[$0], uncertainty: data.uncertainties[$0]) }
            let (tp, pp) = counter.counts(thresholds: thresholds)
            #expect(pp == Double(accepted.count) && tp == Double(accepted.filter { data.labels[$0] }.count))
        }
    }

    @Test func twoDimensionalPoliciesAreTestedToo() throws {
        var generator = SeededGenerator(seed: 5)
        let data = try examples(4000, using: &generator)
        let fresh = try examples(50_000, using: &generator)
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.75, uncertaintyBins: 2, scoreBins: 10)
        for kind in [ThresholdPolicy.Kind.mist, .ewDPMT] {
            let (policy, report) = try fitter.fitLearnThenTest(kind, on: data, settings: .init(delta: 0.05))
            #expect(policy.bound == .clopperPearson(confidence: 0.95))
            #expect(report.calibrationExamples == 2000 && report.learningExamples == 2000)
            #expect(report.passed >= 1 && report.pValue != nil && report.pValue! <= 0.05)
            try policy.validate()
            var tp = 0.0, pp = 0.0
            for i in 0..<fresh.count where policy.decide(score: fresh.scores[i], uncertainty: fresh.uncertainties[i]) {
                pp += 1
                if fresh.labels[i] { tp += 1 }
            }
            #expect(pp > 0 && tp / pp >= 0.75 - 0.01, "\(kind): precision \(tp / pp) on new data")
        }
    }

    @Test func aTinyConservativeCandidateThatFailsDoesNotHideALargeOneThatPasses() throws {
        // Each half: 20 top-scored rows, 2,000 at precision 0.7, 2,000 at 0.2. On the learning half the
        // top 20 are all positive, on the calibration half 12 of 20 (regressed). Going from the most
        // conservative candidate, the sequence tested the top 20 first, failed (P(Bin(20, 0.6) >= 12) =
        // 0.58) and accepted nothing; by learning evidence the 2,020-row candidate goes first and passes.
        func half(topPositives: Int) -> (scores: [Double], labels: [Bool]) {
            var scores: [Double] = [], labels: [Bool] = []
            for i in 0..<20 { scores.append(0.99); labels.append(i < topPositives) }
            for i in 0..<2000 { scores.append(0.5); labels.append(i % 10 < 7) }
            for i in 0..<2000 { scores.append(0.1); labels.append(i % 10 < 2) }
            return (scores, labels)
        }
        let learning = half(topPositives: 20), calibration = half(topPositives: 12)
        let scores = learning.scores + calibration.scores, labels = learning.labels + calibration.labels
        let data = try ScoredExamples(scores: scores, uncertainties: scores.map { _ in 0 }, labels: labels)
        let (policy, report) = try ThresholdPolicyFitter(targetPrecision: 0.6).fitLearnThenTest(.single, on: data, settings: .init(delta: 0.1))
        #expect(report.candidates == 2 && report.passed == 1)
        #expect(policy.decide(score: 0.5, uncertainty: 0) && !policy.decide(score: 0.1, uncertainty: 0))
    }

    @Test func nothingShownMeansNothingAccepted() throws {
        // Labels independent of scores at a 10% rate: precision 0.9 cannot be shown.
        var generator = SeededGenerator(seed: 6)
        let scores = (0..<500).map { _ in generator.nextUnitDouble() }
        let labels = (0..<500).map { _ in generator.nextUnitDouble() < 0.1 }
        let data = try ScoredExamples(scores: scores, uncertainties: scores.map { _ in 0 }, labels: labels)
        let (policy, report) = try ThresholdPolicyFitter(targetPrecision: 0.9).fitLearnThenTest(.single, on: data)
        #expect(report.pValue == nil)
        #expect(!policy.fit.reachedTarget)
        #expect(!policy.decide(score: 1, uncertainty: 0))
    }

    @Test func driftCheckFlagsAWindowBelowTheTarget() throws {
        // One score: the policy accepts everything. Fitted at 0.5 on 60% positives.
        let fitting = try ScoredExamples(scores: [Double](repeating: 1, count: 100), uncertainties: [Double](repeating: 0, count: 100),
                                         labels: (0..<100).map { $0 < 60 })
        let policy = try ThresholdPolicyFitter(targetPrecision: 0.5).fit(.single, on: fitting)
        func window(positives: Int) throws -> PolicyEvaluation {
            PolicyEvaluation(policy: policy, on: try ScoredExamples(scores: [Double](repeating: 1, count: 200), uncertainties: [Double](repeating: 0, count: 200),
                                                                    labels: (0..<200).map { $0 < positives }))
        }
        // 70 of 200 when the promise is 0.5: P(Bin(200, 0.5) <= 70) is about 1e-5.
        let drifted = try window(positives: 70)
        #expect(drifted.belowTargetPValue < 1e-4 && drifted.drifted(level: 0.05))
        // 96 of 200 is within chance of 0.5.
        let steady = try window(positives: 96)
        #expect(steady.belowTargetPValue > 0.2 && !steady.drifted(level: 0.05))
    }

    @Test func settingsAreValidated() {
        let fitter = ThresholdPolicyFitter(targetPrecision: 0.8)
        for settings in [ThresholdPolicyFitter.LearnThenTest(delta: 0), .init(delta: 0.6), .init(delta: 0.1, calibrationFraction: 0.95)] {
            #expect(throws: DecisionError.self) { try settings.validate() }
        }
        #expect(throws: DecisionError.self) { _ = try fitter.fitLearnThenTest(.single, on: try ScoredExamples(scores: [0.5], uncertainties: [0], labels: [true])) }
    }
}
