/// Contiguous shards of `count` items over `ranks`: rank r owns `range(of: r)`, sizes differ by at
/// most one, the owner of an item is found by division. O(1) per question.
public struct ShardPlan: Sendable, Equatable {
    public let count: Int
    public let ranks: Int

    public init(count: Int, ranks: Int) {
        precondition(count >= 0 && ranks >= 1, "ShardPlan: a non-negative count over at least one rank")
        self.count = count
        self.ranks = ranks
    }

    /// The items of `rank`: the first `count % ranks` ranks take one extra.
    public func range(of rank: Int) -> Range<Int> {
        let base = count / ranks, extra = count % ranks
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }

    /// The rank owning `item`.
    public func owner(of item: Int) -> Int {
        let base = count / ranks, extra = count % ranks
        let cut = extra * (base + 1)
        return item < cut ? item / (base + 1) : extra + (item - cut) / max(base, 1)
    }
}
