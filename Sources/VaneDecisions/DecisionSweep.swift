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
        /// Seeds where the 2-D policy keeps its promise with some recall and the single threshold breaks it.
        public let seedsKeepingWhereSingleBreaks: Int
        public let seedCount: Int

        public init(honest: SeedSummary?, curve: SeedSummary, seedsKeepingWhereSingleBreaks: Int, seedCount: Int) {
            self.honest = honest
            self.curve = curve
            self.seedsKeepingWhereSingleBreaks = seedsKeepingWhereSingleBreaks
            self.seedCount = seedCount
        }

        /// Wins when, on every seed, the recalibrated score ranks better on the test PR curve by more
        /// than `margin` recall, or the honest gain exceeds `margin` on every seed (all counted), or
        /// it keeps a promise the single threshold breaks on at least 2 seeds (or every seed, with
        /// fewer than 2); loses when the curve gain is below -`margin` on every seed.
        public func verdict(margin: Double = 0.01) -> Verdict {
            if curve.values.min()! > margin { return .wins }
            if let honest, honest.values.count == seedCount, honest.values.min()! > margin { return .wins }
            if seedsKeepingWhereSingleBreaks >= min(2, seedCount) { return .wins }
            if curve.values.max()! < -margin { return .loses }
            return .undecided
        }
    }

    /// What a gain says, over every seed (`Gain.verdict(margin:)`).
    public enum Verdict: String, Sendable {
        case wins, loses, undecided
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
        var honest: [Double] = [], curve: [Double] = [], keepsWhereSingleBreaks = 0
        for outcome in outcomes {
            guard let mine = outcome.policies[kind]?[target], let single = outcome.policies[.single]?[target],
                  let myCurve = outcome.curve[kind.rawValue]?[target], let raw = outcome.curve["raw"]?[target] else { return nil }
            if mine.keepsPromise && single.keepsPromise { honest.append(mine.recall - single.recall) }
            if mine.keepsPromise && mine.recall > 0 && !single.keepsPromise { keepsWhereSingleBreaks += 1 }
            curve.append(myCurve - raw)
        }
        guard !curve.isEmpty else { return nil }
        return Gain(honest: honest.isEmpty ? nil : SeedSummary(honest), curve: SeedSummary(curve),
                    seedsKeepingWhereSingleBreaks: keepsWhereSingleBreaks, seedCount: outcomes.count)
    }
}
