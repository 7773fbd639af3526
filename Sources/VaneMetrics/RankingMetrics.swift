import Foundation

/// Metrics of a ranking with one relevant item per query, from that item's 1-based rank.
///
/// Ranks may be fractional: with ties the protocol places the item at the middle of its tie group
/// (rank = 1 + #higher + #tied / 2), so ties neither help nor hurt on average.
public enum RankingMetrics {
    /// Fraction of queries whose relevant item ranks within the first `cutoff`: mean [rank <= k].
    public static func hitRate(ranks: [Double], cutoff: Int) -> Double {
        guard !ranks.isEmpty else { return 0 }
        let threshold = Double(cutoff)
        return Double(ranks.reduce(0) { $0 + ($1 <= threshold ? 1 : 0) }) / Double(ranks.count)
    }

    /// Mean reciprocal rank: mean 1 / rank.
    public static func meanReciprocalRank(ranks: [Double]) -> Double {
        guard !ranks.isEmpty else { return 0 }
        return ranks.reduce(0) { $0 + 1 / $1 } / Double(ranks.count)
    }

    /// NDCG@k with a single relevant item: mean of 1 / log2(rank + 1) over ranks <= k, else 0
    /// (the ideal DCG is 1).
    public static func ndcg(ranks: [Double], cutoff: Int) -> Double {
        guard !ranks.isEmpty else { return 0 }
        let threshold = Double(cutoff)
        return ranks.reduce(0) { $0 + ($1 <= threshold ? 1 / log2($1 + 1) : 0) } / Double(ranks.count)
    }
}
