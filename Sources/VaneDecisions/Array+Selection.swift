extension Array where Element == Double {
    /// The values that would sit at each of `ranks` (ascending, each in 0..<count) if the array were
    /// sorted ascending, found by multi-quickselect instead of a sort: partition around a median-of-3
    /// pivot and recurse only into the sides that hold wanted ranks. Expected O(n log k) for k ranks,
    /// against O(n) passes x 6 of a full radix sort; used for equal-mass bin edges.
    func orderStatistics(_ ranks: [Int]) -> [Double] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < count }, "orderStatistics: rank out of range")
        precondition(zip(ranks, ranks.dropFirst()).allSatisfy { $0 <= $1 }, "orderStatistics: ranks must be ascending")
        guard !ranks.isEmpty else { return [] }
        var values = self
        var result = [Double](repeating: 0, count: ranks.count)
        values.withUnsafeMutableBufferPointer { buffer in
            // Work list of (low, high, first wanted rank index, end wanted rank index) ranges.
            var pending = [(low: 0, high: buffer.count, first: 0, end: ranks.count)]
            while let (low, high, first, end) = pending.popLast() {
                if high - low <= 32 {
                    // Small range: insertion sort, then read the ranks off.
                    for i in (low + 1)..<high {
                        let value = buffer[i]
                        var j = i - 1
                        while j >= low && buffer[j] > value { buffer[j + 1] = buffer[j]; j -= 1 }
                        buffer[j + 1] = value
                    }
                    for r in first..<end { result[r] = buffer[ranks[r]] }
                    continue
                }
                let middle = low + (high - low) / 2
                let a = buffer[low], b = buffer[middle], c = buffer[high - 1]
                let pivot = Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c))
                // Three-way partition: [low, less) < pivot, [less, greater) == pivot, [greater, high) > pivot.
                var less = low, scan = low, greater = high
                while scan < greater {
                    let value = buffer[scan]
                    if value < pivot {
                        buffer.swapAt(less, scan); less += 1; scan += 1
                    } else if value > pivot {
                        greater -= 1; buffer.swapAt(scan, greater)
                    } else {
                        scan += 1
                    }
                }
                var r = first
                var leftEnd = r
                while leftEnd < end && ranks[leftEnd] < less { leftEnd += 1 }
                if leftEnd > r { pending.append((low, less, r, leftEnd)) }
                r = leftEnd
                while r < end && ranks[r] < greater { result[r] = pivot; r += 1 }
                if r < end { pending.append((greater, high, r, end)) }
            }
        }
        return result
    }
}
