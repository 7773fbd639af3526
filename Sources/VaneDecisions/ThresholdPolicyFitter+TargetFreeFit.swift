extension ThresholdPolicyFitter {
    /// Everything a fit computes before it looks at the precision target: the uncertainty cuts, each
    /// bin's recalibration, and the candidate operating points with their counts. Choosing the
    /// threshold for a target is then a sweep over the candidates, so a path of targets (Learn then
    /// Test tries about 30) costs one fit plus one sweep per target.
    struct TargetFreeFit: Sendable {
        let kind: ThresholdPolicy.Kind
        let cuts: [Double]
        let calibrations: [IsotonicRegression]
        /// single: score groups best first; MIST: recalibrated-value groups best first (equal values
        /// across bins merged), each with its true positives and count.
        let groups: [(value: Double, positives: Double, count: Double)]
        /// EW-DPMT: each bin's candidate thresholds with cumulative counts, and for every number of
        /// selected score bins K the choice with the most true positives (then the fewest accepted).
        let options: [[(threshold: Double, tp: Double, pp: Double)]]
        let states: [(tp: Double, pp: Double, picks: [Int])?]
    }

    /// The target-free part of fitting `kind` on `data`. O(n log n) (MIST, single), O(n log U +
    /// U^2 S^2) (EW-DPMT), as the fits themselves.
    func targetFreeFit(_ kind: ThresholdPolicy.Kind, on data: ScoredExamples) -> TargetFreeFit {
        switch kind {
        case .single:
            let groups = ScoreGroups(scores: data.scores, labels: data.labels, descending: true).map { ($0.score, $0.positives, $0.count) }
            return TargetFreeFit(kind: kind, cuts: [], calibrations: [], groups: groups, options: [], states: [])
        case .mist: return mistFit(data)
        case .ewDPMT: return ewDPMTFit(data)
        }
    }

    /// The policy for this fitter's target and bound from a target-free fit on `data`, and the exact
    /// counts of what it accepts on `data` (true and predicted positives; 0 when it missed the
    /// target and so accepts nothing). O(candidates) for EW-DPMT, O(n) otherwise
    /// (one pass to count what the policy accepts).
    /// With `counter` (built on `data` with the fit's cuts) the counts come from it instead of a pass.
    func policy(from fit: TargetFreeFit, data: ScoredExamples, counter: AcceptanceCounter? = nil) -> (policy: ThresholdPolicy, tp: Double, pp: Double) {
        func made(_ thresholds: [Double], counts: (tp: Double, pp: Double)? = nil) -> (policy: ThresholdPolicy, tp: Double, pp: Double) {
            makeCountedPolicy(fit.kind, data: data, cuts: fit.cuts, thresholds: thresholds, calibrations: fit.calibrations,
                              counts: counts ?? counter?.counts(thresholds: thresholds))
        }
        switch fit.kind {
        case .single:
            return made([lowestFeasibleThreshold(groups: fit.groups) ?? .infinity])
        case .mist:
            guard let global = lowestFeasibleThreshold(groups: fit.groups) else { return made(fit.calibrations.map { _ in .infinity }) }
            return made(fit.calibrations.map { calibration -> Double in
                guard let block = calibration.values.firstIndex(where: { $0 >= global }) else { return .infinity }
                return calibration.blockStarts[block]
            })
        case .ewDPMT:
            var best: (tp: Double, pp: Double, picks: [Int])?
            for case let state? in fit.states where bound.meets(target: targetPrecision, truePositives: state.tp, predictedPositives: state.pp) {
                if best == nil || state.tp > best!.tp || (state.tp == best!.tp && state.pp < best!.pp) { best = state }
            }
            let thresholds = best.map { picks in zip(fit.options, picks.picks).map { $0[$1].threshold } } ?? fit.cuts.map { _ in .infinity } + [.infinity]
            // The chosen cells' counts are exactly what the policy accepts: no pass over the data.
            return made(thresholds, counts: best.map { ($0.tp, $0.pp) } ?? (0, 0))
        }
    }

    /// MIST: isotonic regression of the label on the score inside each uncertainty bin, then one
    /// global threshold on the recalibrated score (chosen per target by `policy(from:data:)`). Per
    /// bin that is a score threshold: the lowest score whose calibrated value clears the global one.
    /// O(n log n).
    func mistFit(_ data: ScoredExamples) -> TargetFreeFit {
        let cuts = Self.equalMassCuts(data.uncertainties, bins: effectiveUncertaintyBins(data.count))
        let bins = binned(data, cuts: cuts)
        // Per bin: the isotonic fit, then examples counted per block (calibrated values are the
        // blocks' values), so the blocks are swept best first instead of sorting every example again.
        let fitted = Self.perBin(bins.count) { b -> (IsotonicRegression, [(value: Double, positives: Double, count: Double)]) in
            let (scores, labels) = bins[b]
            let calibration = IsotonicRegression(scores: scores, labels: labels)
            var positives = [Double](repeating: 0, count: calibration.values.count), counts = positives
            for (score, label) in zip(scores, labels) {
                let block = calibration.blockIndex(score)
                counts[block] += 1
                if label { positives[block] += 1 }
            }
            return (calibration, calibration.values.indices.filter { counts[$0] > 0 }.map { (calibration.values[$0], positives[$0], counts[$0]) })
        }
        var groups = fitted.flatMap(\.1)
        groups.sort { $0.value > $1.value }
        // Blocks of equal value in different bins are one threshold step.
        var merged: [(value: Double, positives: Double, count: Double)] = []
        for group in groups {
            if let last = merged.last, last.value == group.value {
                merged[merged.count - 1] = (last.value, last.positives + group.positives, last.count + group.count)
            } else {
                merged.append(group)
            }
        }
        return TargetFreeFit(kind: .mist, cuts: cuts, calibrations: fitted.map(\.0), groups: merged, options: [], states: [])
    }

    /// EW-DPMT: per uncertainty bin u choose how many of its top equal-mass score bins j_u to accept,
    /// maximising total true positives subject to the precision bound. With equal-mass bins the
    /// predicted positives depend (almost) only on K = sum j_u, so a dynamic programme over bins with
    /// state K finds, for every K, the most true positives: O(U * (U S) * S) = O(U^2 S^2). The
    /// feasible K with the most true positives (by exact counts) wins (`policy(from:data:)`).
    func ewDPMTFit(_ data: ScoredExamples) -> TargetFreeFit {
        let cuts = Self.equalMassCuts(data.uncertainties, bins: effectiveUncertaintyBins(data.count))
        let bins = binned(data, cuts: cuts)
        let minimumBinSize = minimumBinSize, scoreBins = scoreBins
        // Per bin (in parallel): candidate thresholds (score cut points, best first) with cumulative
        // TP and PP, and the cells' positive rates as the recalibrated score.
        let perBin = Self.perBin(bins.count) { b -> ([(threshold: Double, tp: Double, pp: Double)], IsotonicRegression) in
            let (scores, labels) = bins[b]
            let count = max(1, min(scoreBins, scores.count / minimumBinSize))
            // Bin edges by selection, then one counting pass: cell c holds scores in [cut c, cut c + 1).
            let ranks = [0] + (1..<count).map { min(scores.count - 1, $0 * scores.count / count) }
            let statistics = scores.isEmpty ? [0] : scores.orderStatistics(ranks)
            let scoreCuts = [statistics[0]] + Self.equalMassCuts(orderStatistics: statistics)
            var cellCounts = [Double](repeating: 0, count: scoreCuts.count), cellPositives = cellCounts
            for (score, label) in zip(scores, labels) {
                let cell = scoreCuts.countAtOrBelow(score) - 1
                cellCounts[cell] += 1
                if label { cellPositives[cell] += 1 }
            }
            // Counts at or above each cut: suffix sums of the cells.
            var choices: [(threshold: Double, tp: Double, pp: Double)] = [(.infinity, 0, 0)]
            var tp = 0.0, pp = 0.0
            for c in scoreCuts.indices.reversed() {
                tp += cellPositives[c]
                pp += cellCounts[c]
                choices.append((scoreCuts[c], tp, pp))
            }
            // Monotone by pooling, like MIST's map.
            let cells = scoreCuts.indices.map { (scoreCuts[$0], cellPositives[$0], cellCounts[$0]) }
            return (choices, IsotonicRegression(ascendingGroups: cells))
        }
        let options = perBin.map(\.0)
        // dp[K] = (tp, pp, choice per bin) with the most TP (then fewest PP) using K selected score bins.
        // Arrays indexed by K, scanned in order, so ties break the same way on every run (a
        // dictionary's iteration order changes from process to process).
        var dp: [(tp: Double, pp: Double, picks: [Int])?] = [(0, 0, [])]
        for choices in options {
            var next = [(tp: Double, pp: Double, picks: [Int])?](repeating: nil, count: dp.count + choices.count - 1)
            for (k, state) in dp.enumerated() {
                guard let state else { continue }
                for (j, choice) in choices.enumerated() {
                    let candidate = (tp: state.tp + choice.tp, pp: state.pp + choice.pp, picks: state.picks + [j])
                    if let existing = next[k + j], existing.tp > candidate.tp || (existing.tp == candidate.tp && existing.pp <= candidate.pp) {
                        continue
                    }
                    next[k + j] = candidate
                }
            }
            dp = next
        }
        return TargetFreeFit(kind: .ewDPMT, cuts: cuts, calibrations: perBin.map(\.1), groups: [], options: options, states: dp)
    }
}
