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
        makeCountedPolicy(kind, data: data, cuts: cuts, thresholds: thresholds, calibrations: calibrations, counts: counts).policy
    }

    /// The same, with the counts of what the returned policy accepts on `data` (0 when it missed the
    /// target and so accepts nothing).
    func makeCountedPolicy(_ kind: ThresholdPolicy.Kind, data: ScoredExamples, cuts: [Double], thresholds: [Double],
                           calibrations: [IsotonicRegression], counts: (tp: Double, pp: Double)? = nil)
        -> (policy: ThresholdPolicy, tp: Double, pp: Double) {
        let draft = ThresholdPolicy(kind: kind, targetPrecision: targetPrecision, bound: bound, uncertaintyCuts: cuts,
                                    scoreThresholds: thresholds, calibrations: calibrations,
                                    fit: .init(examples: 0, precision: 0, recall: 0, reachedTarget: false))
        let (tp, pp) = counts ?? summary(data) { draft.decide(score: data.scores[$0], uncertainty: data.uncertainties[$0]) }
        let positives = Double(data.positiveCount)
        let reached = bound.meets(target: targetPrecision, truePositives: tp, predictedPositives: pp)
        let policy = ThresholdPolicy(kind: kind, targetPrecision: targetPrecision, bound: bound, uncertaintyCuts: cuts,
                                     scoreThresholds: reached ? thresholds : thresholds.map { _ in .infinity },
                                     calibrations: calibrations,
                                     fit: .init(examples: data.count, precision: pp > 0 ? tp / pp : 0,
                                                recall: reached && positives > 0 ? tp / positives : 0, reachedTarget: reached))
        return reached ? (policy, tp, pp) : (policy, 0, 0)
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

    func fitSingle(_ data: ScoredExamples) -> ThresholdPolicy { policy(from: targetFreeFit(.single, on: data), data: data).policy }

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

    func fitMIST(_ data: ScoredExamples) -> ThresholdPolicy { policy(from: targetFreeFit(.mist, on: data), data: data).policy }

    func fitEWDPMT(_ data: ScoredExamples) -> ThresholdPolicy { policy(from: targetFreeFit(.ewDPMT, on: data), data: data).policy }
}
