/// The distinct scores of labelled examples in order, each with its count and positive count.
///
/// Positives' and negatives' scores are radix-sorted apart (no index indirection) and merged. O(n).
struct ScoreGroups: Sequence {
    struct Group {
        let score: Double
        let count: Double
        let positives: Double
    }

    let positiveScores: [Double]
    let negativeScores: [Double]
    let descending: Bool

    init(scores: [Double], labels: [Bool], descending: Bool) {
        var positives: [Double] = [], negatives: [Double] = []
        positives.reserveCapacity(scores.count / 4)
        negatives.reserveCapacity(scores.count)
        for (score, label) in zip(scores, labels) {
            if label { positives.append(score) } else { negatives.append(score) }
        }
        positives = positives.radixSorted()
        negatives = negatives.radixSorted()
        positiveScores = descending ? positives.reversed() : positives
        negativeScores = descending ? negatives.reversed() : negatives
        self.descending = descending
    }

    struct Iterator: IteratorProtocol {
        let groups: ScoreGroups
        var p = 0, n = 0

        mutating func next() -> Group? {
            let positives = groups.positiveScores, negatives = groups.negativeScores
            guard p < positives.count || n < negatives.count else { return nil }
            let score: Double
            if p == positives.count { score = negatives[n] }
            else if n == negatives.count { score = positives[p] }
            else { score = groups.descending ? Swift.max(positives[p], negatives[n]) : Swift.min(positives[p], negatives[n]) }
            var count = 0.0, hits = 0.0
            while p < positives.count && positives[p] == score { p += 1; count += 1; hits += 1 }
            while n < negatives.count && negatives[n] == score { n += 1; count += 1 }
            return Group(score: score, count: count, positives: hits)
        }
    }

    func makeIterator() -> Iterator { Iterator(groups: self) }
}
