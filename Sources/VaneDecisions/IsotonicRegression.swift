/// Isotonic (non-decreasing) least-squares fit of labels on scores by pool-adjacent-violators (PAV).
///
/// Examples are sorted by score (ties pooled first, as scikit-learn does); the fit is a step function
/// over score blocks. O(n log n) for the sort, O(n) for PAV.
public struct IsotonicRegression: Sendable, Codable, Equatable {
    /// Lowest score of each block, ascending.
    public let blockStarts: [Double]
    /// Fitted value (positive rate) of each block, non-decreasing.
    public let values: [Double]

    public init(scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count && !scores.isEmpty, "IsotonicRegression: need matching, non-empty input")
        self.init(ascendingGroups: ScoreGroups(scores: scores, labels: labels, descending: false).map { ($0.score, $0.positives, $0.count) })
    }

    /// PAV over examples already grouped by distinct score, ascending: (score, positives, count).
    init(ascendingGroups: [(score: Double, positives: Double, count: Double)]) {
        // Blocks of (start score, sum of labels, count), merged while a block's mean exceeds the next's.
        var starts: [Double] = [], sums: [Double] = [], counts: [Double] = []
        for group in ascendingGroups where group.count > 0 {
            starts.append(group.score); sums.append(group.positives); counts.append(group.count)
            while sums.count >= 2 && sums[sums.count - 2] / counts[counts.count - 2] >= sums[sums.count - 1] / counts[counts.count - 1] {
                let s = sums.removeLast(), c = counts.removeLast()
                starts.removeLast()
                sums[sums.count - 1] += s
                counts[counts.count - 1] += c
            }
        }
        blockStarts = starts
        values = zip(sums, counts).map { $0 / $1 }
    }

    /// Index of the block `score` falls in (the first block below all blocks). O(log blocks).
    public func blockIndex(_ score: Double) -> Int { max(0, blockStarts.countAtOrBelow(score) - 1) }

    /// The fitted value at `score`: the value of the last block starting at or below it (the first
    /// block's value below all blocks). O(log blocks).
    public func predict(_ score: Double) -> Double { values[blockIndex(score)] }
}
