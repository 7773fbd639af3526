import Foundation

/// Threshold-free metrics of a scorer against binary labels.
///
/// All accumulate in `Double`. Ties between scores are handled exactly (they form one step of the
/// curve), matching scikit-learn's `roc_auc_score`, `average_precision_score` and `log_loss`.
public enum BinaryClassificationMetrics {
    /// Area under the ROC curve: P(score of a random positive > score of a random negative), ties
    /// counting one half (Mann-Whitney U with average ranks). O(n log n).
    ///
    /// Returns nil when the labels hold only one class (the AUC is undefined).
    public static func rocAUC<Score: BinaryFloatingPoint>(scores: [Score], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "rocAUC: one label per score")
        precondition(!scores.contains { $0.isNaN }, "rocAUC: NaN score")
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1  // 1-based average rank of the tie group
            for position in start...end where labels[order[position]] { positiveRankSum += averageRank }
            start = end + 1
        }
        let p = Double(positives), n = Double(negatives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * n)
    }

    /// Average precision (area under the precision-recall curve by the step rule):
    /// AP = sum_k (R_k - R_{k-1}) P_k over distinct score thresholds, high to low. O(n log n).
    ///
    /// Returns nil when there is no positive label.
    public static func averagePrecision<Score: BinaryFloatingPoint>(scores: [Score], labels: [Bool]) -> Double? {
        let curve = PrecisionRecallCurve(scores: scores, labels: labels)
        guard curve.positiveCount > 0 else { return nil }
        var total = 0.0, previousRecall = 0.0
        for point in curve.points {
            total += (point.recall - previousRecall) * point.precision
            previousRecall = point.recall
        }
        return total
    }

    /// Mean (optionally weighted) negative log-likelihood of probabilities:
    /// -sum_i w_i [y_i log p_i + (1 - y_i) log(1 - p_i)] / sum_i w_i, with p clipped to
    /// [epsilon, 1 - epsilon] so a confident mistake costs a large finite amount. O(n).
    public static func logLoss<Probability: BinaryFloatingPoint>(
        probabilities: [Probability], labels: [Bool], weights: [Double]? = nil, epsilon: Double = 1e-15
    ) -> Double {
        precondition(probabilities.count == labels.count, "logLoss: one label per probability")
        guard !probabilities.isEmpty else { return 0 }
        var total = 0.0, weightSum = 0.0
        for i in probabilities.indices {
            let p = min(max(Double(probabilities[i]), epsilon), 1 - epsilon)
            let w = weights?[i] ?? 1
            total -= w * (labels[i] ? log(p) : log(1 - p))
            weightSum += w
        }
        return weightSum > 0 ? total / weightSum : 0
    }
}
