/// The reverse of a top-targets index: for every item, the items that recommend it, i.e. whose
/// stored top-`depth` list contains it. "phone -> case" makes the phone a recommender of the case;
/// a model that knows direction shows the case among the phone's targets and not the reverse.
///
/// CSR over targets, each list ordered by the rank the item has in its recommender's list (1 first),
/// then by score, then by recommender id. Built in O(items x depth); immutable.
public struct RecommenderLists: Sendable {
    /// Positions of a source's list that count (a recommender shows the item within its top `depth`).
    public let depth: Int
    let offsets: [Int]
    let sources: [Int32]
    let ranks: [Int32]
    let scores: [Float]

    /// The items whose top-`depth` targets include `target`, best rank first: (recommender id, the
    /// 1-based rank of `target` in its list, the score). O(count).
    public func recommenders(of target: Int32, count: Int) -> [(source: Int32, rank: Int, score: Float)] {
        guard target >= 0, Int(target) + 1 < offsets.count, count > 0 else { return [] }
        let range = offsets[Int(target)]..<min(offsets[Int(target) + 1], offsets[Int(target)] + count)
        return range.map { (source: sources[$0], rank: Int(ranks[$0]), score: scores[$0]) }
    }

    /// How many items recommend `target` within their top `depth`. O(1).
    public func recommenderCount(of target: Int32) -> Int {
        guard target >= 0, Int(target) + 1 < offsets.count else { return 0 }
        return offsets[Int(target) + 1] - offsets[Int(target)]
    }
}

extension RelatedItemIndex {
    /// The recommenders of every item within the top `depth` of each stored list (`depth` capped
    /// at `count`). O(items x depth).
    public func recommenders(depth: Int = 10) -> RecommenderLists {
        let depth = max(1, min(depth, count))
        var entries: [(target: Int32, rank: Int32, score: Float, source: Int32)] = []
        entries.reserveCapacity(itemCount * depth)
        for source in 0..<Int32(itemCount) {
            for (position, entry) in storedTargets(of: source).prefix(depth).enumerated() {
                entries.append((entry.index, Int32(position + 1), entry.score, source))
            }
        }
        entries.sort { a, b in
            if a.target != b.target { return a.target < b.target }
            if a.rank != b.rank { return a.rank < b.rank }
            if a.score != b.score { return a.score > b.score }
            return a.source < b.source
        }
        var offsets = [Int](repeating: 0, count: itemCount + 1)
        for entry in entries { offsets[Int(entry.target) + 1] += 1 }
        for item in 0..<itemCount { offsets[item + 1] += offsets[item] }
        return RecommenderLists(depth: depth, offsets: offsets, sources: entries.map(\.source), ranks: entries.map(\.rank),
                                scores: entries.map(\.score))
    }
}
