import VaneMetrics

/// The decision experiment repeated over seeds (what `vane thresholds evaluate --seeds` runs),
/// summarised per policy and target: test recall and precision as mean ± sd, how often the
/// policy kept its promise on test, and the gains of each 2-D policy over the single threshold.
///
/// Gains (SPEC.md section 3): the *honest* recall gain counts only seeds where both policies kept
/// their promise on test: accepted nothing, or reached precision >= target - `PolicyEvaluation.tolerance`
/// (a policy that accepts nothing keeps it with recall 0; one that breaks it is not counted); the
/// *curve* gain compares recall at the target on the test precision-recall curve of the 2-D policy's
/// recalibrated score with the raw score's (threshold read on test: ranking quality only).
public struct DecisionSweep: Sendable {
    /// One policy at one target over the seeds.
    public struct Cell: Sendable {
        public let recall: SeedSummary
        public let precision: SeedSummary
        /// Seeds where the policy accepted something with precision >= target - tolerance.
        public let seedsMeeting: Int
        /// Seeds where it accepted something with precision below target - tolerance (a broken promise).
        public let seedsViolating: Int
        /// Seeds where it accepted nothing.
        public let seedsAcceptingNothing: Int
        /// Seeds where the drift check flagged the test window at `driftLevel`.
        public let seedsDrifted: Int
    }

    /// Level of the drift check (`PolicyEvaluation.drifted(level:)`).
    public var driftLevel = 0.05

    /// A 2-D policy against the single threshold at one target.
    public struct Gain: Sendable {
        /// Recall difference over the seeds where both kept their promise; nil when there are none.
        public let honest: SeedSummary?
        public let curve: SeedSummary
    }

    public let seeds: [UInt64]
    public let outcomes: [DecisionExperiment.Outcome]

    /// Runs `experiment` once per seed.
    public static func run(_ experiment: DecisionExperiment, seeds: [UInt64],
                           progress: ((UInt64) -> Void)? = nil) throws -> DecisionSweep {
        guard !seeds.isEmpty else { throw DecisionError(.invalidConfiguration, "no seeds given") }
        var outcomes: [DecisionExperiment.Outcome] = []
        for seed in seeds {
            progress?(seed)
            outcomes.append(try experiment.run(seed: seed))
        }
        return DecisionSweep(seeds: seeds, outcomes: outcomes)
    }

    public init(seeds: [UInt64], outcomes: [DecisionExperiment.Outcome]) {
        self.seeds = seeds
        self.outcomes = outcomes
    }

    /// `kind` at `target` over the seeds; nil when a seed lacks it.
    public func cell(_ kind: ThresholdPolicy.Kind, target: Double) -> Cell? {
        let evaluations = outcomes.compactMap { $0.policies[kind]?[target] }
        guard evaluations.count == outcomes.count, !evaluations.isEmpty else { return nil }
        let violating = evaluations.filter { !$0.keepsPromise }.count
        return Cell(recall: SeedSummary(evaluations.map(\.recall)), precision: SeedSummary(evaluations.map(\.precision)),
                    seedsMeeting: evaluations.filter(\.meetsTarget).count, seedsViolating: violating,
                    seedsAcceptingNothing: evaluations.filter { $0.accepted == 0 }.count,
                    seedsDrifted: evaluations.filter { $0.drifted(level: driftLevel) }.count)
    }

    /// The gain of the 2-D policy `kind` over the single threshold at `target`; nil for `.single`.
    public func gain(_ kind: ThresholdPolicy.Kind, target: Double) -> Gain? {
        guard kind != .single else { return nil }
        var honest: [Double] = [], curve: [Double] = []
        for outcome in outcomes {
            guard let mine = outcome.policies[kind]?[target], let single = outcome.policies[.single]?[target],
                  let myCurve = outcome.curve[kind.rawValue]?[target], let raw = outcome.curve["raw"]?[target] else { return nil }
            if mine.keepsPromise && single.keepsPromise { honest.append(mine.recall - single.recall) }
            curve.append(myCurve - raw)
        }
        return Gain(honest: honest.isEmpty ? nil : SeedSummary(honest), curve: SeedSummary(curve))
    }
}
