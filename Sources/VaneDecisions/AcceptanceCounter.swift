/// Counts what a per-uncertainty-bin score threshold accepts on a fixed set of examples, without a
/// pass over them: each bin's positive and negative scores sorted once, then every candidate's true
/// and predicted positives by one binary search per bin. Learn then Test tests about 30 candidates
/// that share their uncertainty cuts; this turns 30 passes over millions of rows into one sort.
///
/// Semantics are `ThresholdPolicy.decide`'s: bin = number of cuts <= uncertainty, accept when
/// score >= the bin's threshold. Build O(n) (radix sorts), query O(bins log n).
struct AcceptanceCounter: Sendable {
    let cuts: [Double]
    /// Per bin, ascending.
    let positiveScores: [[Double]]
    let negativeScores: [[Double]]

    init(_ data: ScoredExamples, cuts: [Double], fitter: ThresholdPolicyFitter) {
        self.cuts = cuts
        let bins = fitter.binned(data, cuts: cuts)
        let sorted = ThresholdPolicyFitter.perBin(bins.count) { b -> ([Double], [Double]) in
            var positives: [Double] = [], negatives: [Double] = []
            for (score, label) in zip(bins[b].scores, bins[b].labels) {
                if label { positives.append(score) } else { negatives.append(score) }
            }
            return (positives.radixSorted(), negatives.radixSorted())
        }
        positiveScores = sorted.map(\.0)
        negativeScores = sorted.map(\.1)
    }

    /// True and predicted positives of accepting score >= `thresholds[b]` in bin b.
    func counts(thresholds: [Double]) -> (tp: Double, pp: Double) {
        precondition(thresholds.count == positiveScores.count, "AcceptanceCounter: one threshold per uncertainty bin")
        var tp = 0, pp = 0
        for b in thresholds.indices {
            let positives = positiveScores[b].count - positiveScores[b].countBelow(thresholds[b])
            tp += positives
            pp += positives + negativeScores[b].count - negativeScores[b].countBelow(thresholds[b])
        }
        return (Double(tp), Double(pp))
    }
}
