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
