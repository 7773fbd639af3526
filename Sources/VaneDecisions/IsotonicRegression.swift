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
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Blocks of (start score, sum of labels, count), merged while a block's mean exceeds the next's.
        var starts: [Double] = [], sums: [Double] = [], counts: [Double] = []
        var index = 0
        while index < order.count {
            let score = scores[order[index]]
            var sum = 0.0, count = 0.0
            while index < order.count && scores[order[index]] == score {
                sum += labels[order[index]] ? 1 : 0
                count += 1
                index += 1
            }
            starts.append(score); sums.append(sum); counts.append(count)
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

    /// The fitted value at `score`: the value of the last block starting at or below it (the first
    /// block's value below all blocks). O(log blocks).
    public func predict(_ score: Double) -> Double {
        var low = 0, high = blockStarts.count
        while low < high {
            let middle = (low + high) / 2
            if blockStarts[middle] <= score { low = middle + 1 } else { high = middle }
        }
        return values[max(0, low - 1)]
    }
}
