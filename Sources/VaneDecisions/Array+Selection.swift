import Dispatch
import Foundation
import Synchronization
import VaneTensor

extension Array where Element == Double {
    /// The values that would sit at each of `ranks` (ascending, each in 0..<count) if the array were
    /// sorted ascending; used for equal-mass bin edges. Values must be finite.
    ///
    /// Large arrays take two parallel passes instead of a sort: a histogram of 2^16 equal-width
    /// buckets between the minimum and the maximum (bucket order is value order, since the bucket
    /// index is monotone in the value), then a gather of only the buckets that hold a wanted rank,
    /// which multi-quickselect finishes. O(n + k b) for k ranks and wanted buckets of size b; heavily
    /// skewed data only makes the gathered buckets bigger, never the answer different.
    func orderStatistics(_ ranks: [Int]) -> [Double] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < count }, "orderStatistics: rank out of range")
        precondition(zip(ranks, ranks.dropFirst()).allSatisfy { $0 <= $1 }, "orderStatistics: ranks must be ascending")
        guard !ranks.isEmpty else { return [] }
        guard count >= 1 << 16 else { return quickselectOrderStatistics(ranks) }
        return withUnsafeBufferPointer { values in
            let workers = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
            let total = values.count
            let chunk = { @Sendable (part: Int) in (total * part / workers)..<(total * (part + 1) / workers) }
            let base = SharedPointer(values.baseAddress!)
            let ranges = Mutex([(minimum: Double, maximum: Double)](repeating: (.infinity, -.infinity), count: workers))
            DispatchQueue.concurrentPerform(iterations: workers) { part in
                var low = Double.infinity, high = -Double.infinity
                for i in chunk(part) { low = Swift.min(low, base[i]); high = Swift.max(high, base[i]) }
                ranges.withLock { $0[part] = (low, high) }
            }
            let (minimum, maximum) = ranges.withLock { ($0.map(\.minimum).min()!, $0.map(\.maximum).max()!) }
            if minimum == maximum { return ranks.map { _ in minimum } }
            let bucketCount = 1 << 16
            let scale = Double(bucketCount) / (maximum - minimum)
            guard scale.isFinite, minimum.isFinite, maximum.isFinite else { return quickselectOrderStatistics(ranks) }
            let bucket = { @Sendable (value: Double) in Swift.min(bucketCount - 1, Int((value - minimum) * scale)) }

            // Pass 1: bucket counts.
            let histogram = Mutex([Int](repeating: 0, count: bucketCount))
            DispatchQueue.concurrentPerform(iterations: workers) { part in
                var counts = [Int32](repeating: 0, count: bucketCount)
                for i in chunk(part) { counts[bucket(base[i])] += 1 }
                histogram.withLock { total in for b in 0..<bucketCount { total[b] += Int(counts[b]) } }
            }
            let counts = histogram.withLock { $0 }
            // Each rank's bucket and its rank inside the bucket; slots number the wanted buckets.
            var slotOfBucket = [Int32](repeating: -1, count: bucketCount)
            var wanted: [(bucket: Int, localRanks: [Int])] = []
            var below = 0, b = 0
            var rankBucket: [(slot: Int, local: Int)] = []
            for rank in ranks {
                while below + counts[b] <= rank { below += counts[b]; b += 1 }
                if slotOfBucket[b] < 0 { slotOfBucket[b] = Int32(wanted.count); wanted.append((b, [])) }
                let slot = Int(slotOfBucket[b])
                wanted[slot].localRanks.append(rank - below)
                rankBucket.append((slot, wanted[slot].localRanks.count - 1))
            }
            // Pass 2: gather the wanted buckets' values, then select inside each.
            let slots = slotOfBucket, slotCount = wanted.count
            let gathered = Mutex([[Double]](repeating: [], count: slotCount))
            DispatchQueue.concurrentPerform(iterations: workers) { part in
                var local = [[Double]](repeating: [], count: slotCount)
                for i in chunk(part) {
                    let slot = slots[bucket(base[i])]
                    if slot >= 0 { local[Int(slot)].append(base[i]) }
                }
                gathered.withLock { all in for s in all.indices { all[s] += local[s] } }
            }
            let selected = gathered.withLock { all in
                all.indices.map { all[$0].quickselectOrderStatistics(wanted[$0].localRanks) }
            }
            return rankBucket.map { selected[$0.slot][$0.local] }
        }
    }

    /// `orderStatistics` by multi-quickselect: partition around a median-of-3 pivot and recurse only
    /// into the sides that hold wanted ranks. Expected O(n log k) for k ranks.
    func quickselectOrderStatistics(_ ranks: [Int]) -> [Double] {
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

