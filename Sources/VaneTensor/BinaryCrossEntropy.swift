import Foundation

/// Weighted binary cross-entropy on logits, averaged over the batch:
/// L = (1/n) sum_i w_i [softplus(z_i) - y_i z_i], the stable form of
/// -(1/n) sum_i w_i [y_i log sigmoid(z_i) + (1 - y_i) log(1 - sigmoid(z_i))].
///
/// Labels may be soft (0...1). Gradient: dL/dz_i = w_i (sigmoid(z_i) - y_i) / n. O(n).
/// This is the loss behind edge scoring (BLADE) and importance-weighted delayed feedback.
public enum BinaryCrossEntropy {
    /// Mean weighted loss; `weights` nil means all ones.
    public static func loss(logits: [Float], labels: [Float], weights: [Float]? = nil) -> Double {
        precondition(logits.count == labels.count, "BinaryCrossEntropy: one label per logit")
        if let weights { precondition(weights.count == logits.count, "BinaryCrossEntropy: one weight per logit") }
        guard !logits.isEmpty else { return 0 }
        var total = 0.0
        for i in 0..<logits.count {
            let z = Double(logits[i])
            let term = max(z, 0) + log1p(exp(-abs(z))) - Double(labels[i]) * z
            total += Double(weights?[i] ?? 1) * term
        }
        return total / Double(logits.count)
    }

    /// dL/dz for the mean weighted loss, times `scale` (the upstream gradient).
    public static func gradient(logits: [Float], labels: [Float], weights: [Float]? = nil,
                                scale: Float = 1) -> [Float] {
        guard !logits.isEmpty else { return [] }
        let factor = scale / Float(logits.count)
        var result = [Float](repeating: 0, count: logits.count)
        for i in 0..<logits.count {
            result[i] = (weights?[i] ?? 1) * (Sigmoid.value(logits[i]) - labels[i]) * factor
        }
        return result
    }
}
