import VaneTensor

extension ThresholdPolicyFitter {
    /// Bin counts of a 2-D policy.
    public struct BinCounts: Sendable, Equatable, Codable {
        public let uncertaintyBins: Int
        public let scoreBins: Int
        public init(uncertaintyBins: Int, scoreBins: Int) {
            self.uncertaintyBins = uncertaintyBins
            self.scoreBins = scoreBins
        }
    }

    /// Chooses the bin counts of `kind` inside `validation` alone, never on test data, then fits the
    /// choice on all of `validation`.
    ///
    /// Two-fold cross-validation within validation: the examples are split in seeded halves; each
    /// candidate is fitted on one half and scored on the other, both ways; a fold counts its recall only
    /// when the held-out precision meets the target within `PolicyEvaluation.tolerance`. The candidate
    /// with the largest summed recall wins; ties go to fewer bins (candidates are tried in increasing
    /// size). MIST has no score bins, so only `uncertaintyCandidates` matter for it; `single` has no bins.
    /// Cost: 2 x |candidates| fits on half the data, plus one on all of it.
    public func fitChoosingBins(_ kind: ThresholdPolicy.Kind, on validation: ScoredExamples,
                                uncertaintyCandidates: [Int] = [2, 4, 8], scoreCandidates: [Int] = [10, 20, 40],
                                using generator: inout SeededGenerator) throws(DecisionError) -> (policy: ThresholdPolicy, bins: BinCounts) {
        guard !uncertaintyCandidates.isEmpty, !scoreCandidates.isEmpty,
              (uncertaintyCandidates + scoreCandidates).allSatisfy({ $0 >= 1 }) else {
            throw DecisionError(.invalidConfiguration, "bin-count candidates must be non-empty and positive")
        }
        let candidates: [BinCounts] = switch kind {
        case .single: [BinCounts(uncertaintyBins: 1, scoreBins: 1)]
        case .mist: uncertaintyCandidates.map { BinCounts(uncertaintyBins: $0, scoreBins: scoreBins) }
        case .ewDPMT: uncertaintyCandidates.flatMap { u in scoreCandidates.map { BinCounts(uncertaintyBins: u, scoreBins: $0) } }
        }
        var best = candidates[0]
        if candidates.count > 1 {
            var order = Array(0..<validation.count)
            order.seededShuffle(using: &generator)
            let halves = [validation.subset(Array(order[..<(order.count / 2)])), validation.subset(Array(order[(order.count / 2)...]))]
            var bestValue = -1.0
            for candidate in candidates {
                var fitter = self
                fitter.uncertaintyBins = candidate.uncertaintyBins
                fitter.scoreBins = candidate.scoreBins
                var value = 0.0
                for fold in 0..<2 {
                    let evaluation = PolicyEvaluation(policy: try fitter.fit(kind, on: halves[fold]), on: halves[1 - fold])
                    if evaluation.meetsTarget { value += evaluation.recall }
                }
                if value > bestValue {
                    bestValue = value
                    best = candidate
                }
            }
        }
        var chosen = self
        chosen.uncertaintyBins = best.uncertaintyBins
        chosen.scoreBins = best.scoreBins
        return (try chosen.fit(kind, on: validation), best)
    }
}
