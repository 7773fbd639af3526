import Dispatch
import Foundation
import Synchronization
import VaneTensor

/// Fits single, EW-DPMT and MIST policies: maximise recall subject to precision >= target on the
/// fitting data (as judged by `bound`).
///
/// Binning: `uncertaintyBins` equal-mass bins by uncertainty; EW-DPMT then splits each into
/// `scoreBins` equal-mass score bins. Bins never hold fewer than `minimumBinSize` examples (counts
/// shrink to fit small data).
public struct ThresholdPolicyFitter: Sendable {
    public var targetPrecision: Double
    public var bound: PrecisionBound
    public var uncertaintyBins: Int
    public var scoreBins: Int
    public var minimumBinSize: Int

    public init(targetPrecision: Double, bound: PrecisionBound = .pointEstimate, uncertaintyBins: Int = 4,
                scoreBins: Int = 20, minimumBinSize: Int = 25) {
        self.targetPrecision = targetPrecision
        self.bound = bound
        self.uncertaintyBins = uncertaintyBins
        self.scoreBins = scoreBins
        self.minimumBinSize = minimumBinSize
    }

    public func validate() throws(DecisionError) {
        guard targetPrecision > 0, targetPrecision <= 1 else {
            throw DecisionError(.invalidConfiguration, "target precision must be in (0, 1], got \(targetPrecision)")
        }
        guard uncertaintyBins >= 1, scoreBins >= 1, minimumBinSize >= 1 else {
            throw DecisionError(.invalidConfiguration, "bin counts and minimum bin size must be positive")
        }
        if let confidence = bound.confidence, !(confidence > 0.5 && confidence < 1) {
            throw DecisionError(.invalidConfiguration, "confidence must be in (0.5, 1), got \(confidence)")
        }
    }

    public func fit(_ kind: ThresholdPolicy.Kind, on data: ScoredExamples) throws(DecisionError) -> ThresholdPolicy {
        try validate()
        switch kind {
        case .single: return fitSingle(data)
        case .ewDPMT: return fitEWDPMT(data)
        case .mist: return fitMIST(data)
        }
    }

    // MARK: - Shared pieces

    /// Equal-mass cut points of `values` into `bins` bins (fewer when values tie or data is small).
    /// Selects the needed order statistics (the minimum and each bin edge) without sorting. O(n log bins).
    static func equalMassCuts(_ values: [Double], bins: Int) -> [Double] {
        guard !values.isEmpty else { return [] }
        let ranks = [0] + (1..<max(1, bins)).map { Swift.min(values.count - 1, $0 * values.count / bins) }
        return equalMassCuts(orderStatistics: values.orderStatistics(ranks))
    }

    /// The cuts from [minimum, value at each edge rank]: each edge kept when above the minimum and
    /// the previous edge (ties collapse bins).
    static func equalMassCuts(orderStatistics: [Double]) -> [Double] {
        var cuts: [Double] = []
        for cut in orderStatistics.dropFirst() where cut > (cuts.last ?? -.infinity) && cut > orderStatistics[0] { cuts.append(cut) }
        return cuts
    }

    /// Uncertainty bins actually used: each keeps at least two minimum-size score bins.
    func effectiveUncertaintyBins(_ count: Int) -> Int { max(1, min(uncertaintyBins, count / (2 * minimumBinSize))) }

    /// Summary of accepting `accepted` on `data`.
    func summary(_ data: ScoredExamples, accepted: (Int) -> Bool) -> (tp: Double, pp: Double) {
        var tp = 0.0, pp = 0.0
        for i in 0..<data.count where accepted(i) {
            pp += 1
            if data.labels[i] { tp += 1 }
        }
        return (tp, pp)
    }

    /// The policy with its fit summary; `counts` (true and predicted positives of accepting with
    /// `thresholds`) when the caller already knows them, else one pass over `data`.
    func makePolicy(_ kind: ThresholdPolicy.Kind, data: ScoredExamples, cuts: [Double], thresholds: [Double],
                    calibrations: [IsotonicRegression], counts: (tp: Double, pp: Double)? = nil) -> ThresholdPolicy {
        let draft = ThresholdPolicy(kind: kind, targetPrecision: targetPrecision, bound: bound, uncertaintyCuts: cuts,
                                    scoreThresholds: thresholds, calibrations: calibrations,
                                    fit: .init(examples: 0, precision: 0, recall: 0, reachedTarget: false))
        let (tp, pp) = counts ?? summary(data) { draft.decide(score: data.scores[$0], uncertainty: data.uncertainties[$0]) }
        let positives = Double(data.positiveCount)
        let reached = bound.meets(target: targetPrecision, truePositives: tp, predictedPositives: pp)
        return ThresholdPolicy(kind: kind, targetPrecision: targetPrecision, bound: bound, uncertaintyCuts: cuts,
                               scoreThresholds: reached ? thresholds : thresholds.map { _ in .infinity },
                               calibrations: calibrations,
                               fit: .init(examples: data.count, precision: pp > 0 ? tp / pp : 0,
                                          recall: reached && positives > 0 ? tp / positives : 0, reachedTarget: reached))
    }

    /// The lowest threshold on `values` (accept value >= t) whose accepted set meets the bound:
    /// the maximum-recall operating point. Nil when none does. O(n log n).
    func lowestFeasibleThreshold(values: [Double], labels: [Bool]) -> Double? {
        lowestFeasibleThreshold(groups: ScoreGroups(scores: values, labels: labels, descending: true).map { ($0.score, $0.positives, $0.count) })
    }

    /// The same over (value, true positives, count) groups given best first.
    func lowestFeasibleThreshold(groups: [(value: Double, positives: Double, count: Double)]) -> Double? {
        var tp = 0.0, pp = 0.0, best: Double?
        for group in groups {
            tp += group.positives
            pp += group.count
            if bound.meets(target: targetPrecision, truePositives: tp, predictedPositives: pp) { best = group.value }
        }
        return best
    }

    // MARK: - Policies

    func fitSingle(_ data: ScoredExamples) -> ThresholdPolicy {
        let threshold = lowestFeasibleThreshold(values: data.scores, labels: data.labels) ?? .infinity
        return makePolicy(.single, data: data, cuts: [], thresholds: [threshold], calibrations: [])
    }

    /// Each uncertainty bin's scores and labels (no index arrays): one parallel pass to find every
    /// row's bin, then each bin (in parallel) fills an array of exact size. O(n log U).
    func binned(_ data: ScoredExamples, cuts: [Double]) -> [(scores: [Double], labels: [Bool])] {
        precondition(cuts.count < 255, "binned: at most 255 uncertainty bins")
        let n = data.count
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var binOf = [UInt8](repeating: 0, count: n)
        let counts = Mutex([Int](repeating: 0, count: cuts.count + 1))
        binOf.withUnsafeMutableBufferPointer { buffer in
            let output = SharedPointer(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { part in
                var local = [Int](repeating: 0, count: cuts.count + 1)
                for i in (n * part / workers)..<(n * (part + 1) / workers) {
                    let b = cuts.countAtOrBelow(data.uncertainties[i])
                    output[i] = UInt8(b)
                    local[b] += 1
                }
                counts.withLock { total in for b in total.indices { total[b] += local[b] } }
            }
        }
        let sizes = counts.withLock { $0 }
        let binOfRows = binOf
        return Self.perBin(sizes.count) { b in
            let size = sizes[b]
            var labels = [Bool](repeating: false, count: size)
            let scores = [Double](unsafeUninitializedCapacity: size) { buffer, initialised in
                labels.withUnsafeMutableBufferPointer { labelBuffer in
                    var next = 0
                    for i in 0..<n where Int(binOfRows[i]) == b {
                        buffer[next] = data.scores[i]
                        labelBuffer[next] = data.labels[i]
                        next += 1
                    }
                }
                initialised = size
            }
            return (scores, labels)
        }
    }

    /// `work(b)` for every bin on all cores, results in bin order. Bins are independent, so the
    /// per-bin sorts and selections of 10M-row fits run side by side.
    static func perBin<Result: Sendable>(_ count: Int, _ work: @Sendable (Int) -> Result) -> [Result] {
        let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { b in
            let result = work(b)
            results.withLock { $0[b] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// MIST: isotonic regression of the label on the score inside each uncertainty bin, then one
    /// global threshold on the recalibrated score. Per bin that is a score threshold: the lowest
    /// score whose calibrated value clears the global one. O(n log n).
    func fitMIST(_ data: ScoredExamples) -> ThresholdPolicy {
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
        let calibrations = fitted.map(\.0)
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
        guard let global = lowestFeasibleThreshold(groups: merged) else {
            return makePolicy(.mist, data: data, cuts: cuts, thresholds: bins.map { _ in .infinity }, calibrations: calibrations)
        }
        let thresholds = calibrations.map { calibration -> Double in
            guard let block = calibration.values.firstIndex(where: { $0 >= global }) else { return .infinity }
            return calibration.blockStarts[block]
        }
        return makePolicy(.mist, data: data, cuts: cuts, thresholds: thresholds, calibrations: calibrations)
    }

    /// EW-DPMT: per uncertainty bin u choose how many of its top equal-mass score bins j_u to accept,
    /// maximising total true positives subject to the precision bound. With equal-mass bins the
    /// predicted positives depend (almost) only on K = sum j_u, so a dynamic programme over bins with
    /// state K finds, for every K, the most true positives: O(U * (U S) * S) = O(U^2 S^2).
    /// The feasible K with the most true positives (by exact counts) wins.
    func fitEWDPMT(_ data: ScoredExamples) -> ThresholdPolicy {
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
        let options = perBin.map(\.0), calibrations = perBin.map(\.1)
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
        var best: (tp: Double, pp: Double, picks: [Int])?
        for case let state? in dp where bound.meets(target: targetPrecision, truePositives: state.tp, predictedPositives: state.pp) {
            if best == nil || state.tp > best!.tp || (state.tp == best!.tp && state.pp < best!.pp) { best = state }
        }
        let thresholds = best.map { picks in zip(options, picks.picks).map { $0[$1].threshold } } ?? bins.map { _ in .infinity }
        // The chosen cells' counts are exactly what the policy accepts: no second pass over the data.
        return makePolicy(.ewDPMT, data: data, cuts: cuts, thresholds: thresholds, calibrations: calibrations,
                          counts: best.map { ($0.tp, $0.pp) } ?? (0, 0))
    }
}
