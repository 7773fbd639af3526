/// The precision-recall curve of a scorer: one point per distinct score threshold, from the highest
/// score down, where "predict positive" means score >= threshold. O(n log n) to build.
public struct PrecisionRecallCurve: Sendable {
    /// One operating point of the curve.
    public struct Point: Sendable, Equatable {
        public let threshold: Double
        public let precision: Double
        public let recall: Double
        public let truePositives: Int
        public let predictedPositives: Int
    }

    /// Points ordered by decreasing threshold (increasing recall).
    public let points: [Point]
    /// Number of positive labels.
    public let positiveCount: Int

    public init<Score: BinaryFloatingPoint>(scores: [Score], labels: [Bool]) {
        precondition(scores.count == labels.count, "PrecisionRecallCurve: one label per score")
        precondition(!scores.contains { $0.isNaN }, "PrecisionRecallCurve: NaN score")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        var points: [Point] = []
        var truePositives = 0
        var index = 0
        while index < order.count {
            let threshold = scores[order[index]]
            while index < order.count && scores[order[index]] == threshold {
                if labels[order[index]] { truePositives += 1 }
                index += 1
            }
            points.append(Point(threshold: Double(threshold),
                                precision: Double(truePositives) / Double(index),
                                recall: positives > 0 ? Double(truePositives) / Double(positives) : 0,
                                truePositives: truePositives, predictedPositives: index))
        }
        self.points = points
        self.positiveCount = positives
    }

    /// The highest recall among operating points whose precision is at least `minimumPrecision`,
    /// with that point; nil when no threshold reaches the precision.
    public func bestPoint(atPrecision minimumPrecision: Double) -> Point? {
        var best: Point?
        for point in points where point.precision >= minimumPrecision {
            if best == nil || point.recall > best!.recall { best = point }
        }
        return best
    }

    /// Recall at the best operating point meeting the precision floor (0 when none does).
    public func maximumRecall(atPrecision minimumPrecision: Double) -> Double {
        bestPoint(atPrecision: minimumPrecision)?.recall ?? 0
    }
}
