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
