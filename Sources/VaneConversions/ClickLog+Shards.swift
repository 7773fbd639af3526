import VaneTensor

extension ClickLog {
    /// The shard of clicks rank `rank` of `ranks` replays: the clicks whose row number (the click's
    /// id in the log) hashes to `rank` (SplitMix64 of the row, mod `ranks`), in log order, each with
    /// its conversion and engagement, so a conversion always meets its click on one rank. The
    /// features keep the whole log's encoding. O(clicks + events + nnz).
    public func shard(rank: Int, of ranks: Int) -> ClickLog {
        precondition(ranks >= 1 && (0..<ranks).contains(rank), "shard: rank \(rank) outside 0..<\(ranks)")
        guard ranks > 1 else { return self }
        let rows = (0..<count).filter { Self.shard(ofRow: $0, ranks: ranks) == rank }
        let events = EngagementEvents(perClick: rows.map { i in
            engagement.events(of: i).map { (time: engagement.times[$0], kind: engagement.kinds[$0]) }
        })
        return ClickLog(source: Self.shardSource(source, rank: rank, of: ranks), clickTimes: rows.map { clickTimes[$0] },
                        conversionTimes: rows.map { conversionTimes[$0] }, engagement: events,
                        features: features.selectingRows(rows), encoder: encoder)
    }

    /// The source name of rank `rank`'s shard of a log named `source`.
    static func shardSource(_ source: String, rank: Int, of ranks: Int) -> String { "\(source) (shard \(rank + 1) of \(ranks))" }

    /// The rank of `ranks` that replays row `row`.
    static func shard(ofRow row: Int, ranks: Int) -> Int {
        var z = UInt64(row) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(ranks))
    }
}
