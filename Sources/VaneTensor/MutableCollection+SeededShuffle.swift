extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher-Yates shuffle driven by `generator`, from the last position down. Same seed, same
    /// order on every platform (the standard library's `shuffle(using:)` does not promise its
    /// algorithm, so seeded results could change with it). O(n).
    public mutating func seededShuffle(using generator: inout SeededGenerator) {
        guard count > 1 else { return }
        for offset in stride(from: count - 1, to: 0, by: -1) {
            swapAt(startIndex + offset, startIndex + generator.nextIndex(below: offset + 1))
        }
    }
}

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Puts a uniform random sample of `first` elements, in random order, at the front (partial
    /// Fisher-Yates from the first position up: position i swaps with a uniform one at or after it).
    /// O(first).
    public mutating func seededPartialShuffle(first: Int, using generator: inout SeededGenerator) {
        for i in 0..<Swift.min(first, count) {
            swapAt(startIndex + i, startIndex + i + generator.nextIndex(below: count - i))
        }
    }
}

extension Array {
    /// Keeps a seeded uniform sample of `count` elements when there are more (see
    /// `seededPartialShuffle(first:using:)`); unchanged otherwise.
    public mutating func seededSample(keeping count: Int, using generator: inout SeededGenerator) {
        guard self.count > count else { return }
        seededPartialShuffle(first: count, using: &generator)
        removeLast(self.count - count)
    }
}

extension RandomAccessCollection where Index == Int {
    /// The sample `seededSample(keeping:using:)` keeps of a copy of this collection, with the generator
    /// left in the same state, without copying it: the partial Fisher-Yates swaps are replayed on a
    /// dictionary of the displaced positions only. O(count) time and memory, not O(self.count), where
    /// the collection is much longer than the sample (e.g. a step's edges out of a large graph's);
    /// a shorter one is copied, which is faster there. Every element when there are at most `count`.
    public func seededSampled(keeping count: Int, using generator: inout SeededGenerator) -> [Element] {
        let n = self.count
        guard n > count else { return Array(self) }
        guard n > 64 * count else {
            var copy = Array(self)
            copy.seededSample(keeping: count, using: &generator)
            return copy
        }
        var displaced: [Int: Element] = [:]
        displaced.reserveCapacity(count)
        var sample: [Element] = []
        sample.reserveCapacity(count)
        for i in 0..<count {
            // swapAt(i, j) of the copy: position i takes j's element, j takes i's; i is never read again.
            let j = i + generator.nextIndex(below: n - i)
            let atI = displaced.removeValue(forKey: i) ?? self[startIndex + i]
            if j == i { sample.append(atI); continue }
            sample.append(displaced[j] ?? self[startIndex + j])
            displaced[j] = atI
        }
        return sample
    }
}
