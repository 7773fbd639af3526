import VaneTensor

/// `--estimator auto`: the uncertainty estimator chosen on validation rows, never on test.
///
/// Each candidate is trained on the training rows and scores the held-out rows. Its validation rows
/// are cut in order (time-ordered validation: the later half judges): MIST and EW-DPMT policies
/// (4 uncertainty bins, 20 score bins) are fitted on the first half at each target, and the second
/// half scores the candidate by the recall of its better 2-D policy. With `riskControl` the policies
/// are fitted by Learn then Test on the first half, as the final ones are on the whole validation,
/// and a policy counts the recall it keeps on the second half (0 where it breaks the promise there);
/// otherwise by the recall its recalibrated score reaches at precision >= target on the second
/// half's precision-recall curve. Averaged over the targets. The highest score wins; the first candidate on ties. Every candidate trains from the same
/// state of the caller's generator, and the caller's generator continues from the winner's, so `auto`
/// gives exactly the model, policies and numbers of `--estimator <winner>` with the same seed (not a
/// draw that depends on which candidates were tried before it).
/// Cost: one model per candidate plus 2 policy fits (Learn then Test fits with `riskControl`) per
/// candidate and target.
public struct EstimatorChoice: Sendable {
    /// One candidate's outcome.
    public struct Trial: Sendable, Equatable {
        public let estimator: UncertaintyEstimator
        /// Mean over the targets of its better 2-D policy's recall on the judging half (kept recall of the
        /// Learn then Test policies with `riskControl`, else the recalibrated score's curve recall).
        public let score: Double
    }

    /// What `auto` tries by default: Laplace (knows how often a hashed ID was seen), the bootstrap
    /// ensemble and the posterior network (count-aware evidence); MC dropout costs twice as much and
    /// is left to `--estimator dropout`.
    public static let defaultCandidates: [UncertaintyEstimator] = [.laplace, .ensemble, .posterior]

    public let candidates: [UncertaintyEstimator]
    public let targets: [Double]
    /// When set, each candidate's 2-D policies are fitted on the first half by Learn then Test, as the
    /// final policies will be, and scored by the recall they keep on the second half (0 where they
    /// break the promise there); nil: the curve recall of the point-estimate policies' recalibrated score.
    public var riskControl: ThresholdPolicyFitter.LearnThenTest?

    public init(candidates: [UncertaintyEstimator] = EstimatorChoice.defaultCandidates, targets: [Double]) throws(DecisionError) {
        guard !candidates.isEmpty else { throw DecisionError(.invalidConfiguration, "no estimator candidates") }
        guard !targets.isEmpty else { throw DecisionError(.invalidConfiguration, "no precision targets") }
        self.candidates = candidates
        self.targets = targets
    }

    /// The chosen estimator, its held-out examples (validation rows first, then test) and every trial.
    public func choose(training: SparseRowMatrix, labels: [Bool], heldOut: SparseRowMatrix, heldOutLabels: [Bool], validationCount: Int,
                       settings: EstimatorSettings, using generator: inout SeededGenerator) throws
        -> (estimator: UncertaintyEstimator, examples: ScoredExamples, trials: [Trial]) {
        var best: (estimator: UncertaintyEstimator, examples: ScoredExamples, score: Double, generator: SeededGenerator)?
        var trials: [Trial] = []
        let half = validationCount / 2
        for candidate in candidates {
            var candidateGenerator = generator
            let predictions = try candidate.predictions(training: training, labels: labels, test: heldOut, settings: settings, using: &candidateGenerator)
            let examples = try ScoredExamples(scores: predictions.scores, uncertainties: predictions.uncertainties, labels: heldOutLabels)
            let fitting = examples.subset(Array(0..<half)), judging = examples.subset(Array(half..<validationCount))
            var total = 0.0
            for target in targets {
                let fitter = ThresholdPolicyFitter(targetPrecision: target)
                var recall = 0.0
                for kind in [ThresholdPolicy.Kind.mist, .ewDPMT] {
                    if let riskControl {
                        let (policy, _) = try fitter.fitLearnThenTest(kind, on: fitting, settings: riskControl)
                        let evaluation = PolicyEvaluation(policy: policy, on: judging)
                        if evaluation.keepsPromise { recall = max(recall, evaluation.recall) }
                    } else {
                        // Point-estimate thresholds judged all or nothing made the choice a coin toss: a
                        // candidate whose thresholds landed 0.011 under the target on the judging half scored
                        // 0, one 0.007 under scored its whole recall.
                        let policy = try fitter.fit(kind, on: fitting)
                        let recalibrated = (0..<judging.count).map { policy.recalibratedScore(score: judging.scores[$0], uncertainty: judging.uncertainties[$0]) }
                        recall = max(recall, PolicyEvaluation.curveRecall(values: recalibrated, labels: judging.labels, precision: target))
                    }
                }
                total += recall
            }
            let score = total / Double(targets.count)
            trials.append(Trial(estimator: candidate, score: score))
            if best == nil || score > best!.score { best = (candidate, examples, score, candidateGenerator) }
        }
        generator = best!.generator
        return (best!.estimator, best!.examples, trials)
    }
}
