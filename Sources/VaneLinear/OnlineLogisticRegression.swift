import Foundation
import VaneTensor

/// Logistic regression trained incrementally, one mini-batch at a time, as streams need: each
/// `update` takes one lazy Adam step on the mean weighted BCE of the batch plus (l2 / 2) ||w||^2.
///
/// Only coefficients of features present in the batch move (sparse updates); the L2 shrinkage a
/// coefficient missed while untouched is applied when it is next touched. O(nnz of the batch).
public struct OnlineLogisticRegression: Sendable {
    public let configuration: LogisticRegression.Configuration
    public private(set) var coefficients: [Float]
    public private(set) var bias: Float = 0
    private var firstMoment: [Float]
    private var secondMoment: [Float]
    private var biasMoments: (Float, Float) = (0, 0)
    private var lastStep: [Int]
    public private(set) var step = 0

    public init(columnCount: Int, configuration: LogisticRegression.Configuration = .init()) {
        self.configuration = configuration
        coefficients = [Float](repeating: 0, count: columnCount)
        firstMoment = coefficients
        secondMoment = coefficients
        lastStep = [Int](repeating: 0, count: columnCount)
    }

    /// P(y = 1) for one row.
    public func probability(_ features: SparseRowMatrix, row: Int) -> Float {
        Sigmoid.value(features.dot(row: row, coefficients) + bias)
    }

    /// One Adam step on `rows` of `features` (a row may appear more than once, e.g. as a negative and
    /// later as a positive copy); `labels[k]` (soft, 0...1) and `weights[k]` (>= 0) belong to `rows[k]`.
    /// The same as `apply(gradient(features:rows:labels:weights:sampleCount: rows.count))`.
    public mutating func update(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float]) {
        precondition(rows.count == labels.count && rows.count == weights.count, "update: one label and weight per row")
        guard !rows.isEmpty else { return }
        apply(gradient(features: features, rows: rows, labels: labels, weights: weights, sampleCount: rows.count))
    }

    /// The gradient of a batch's weighted BCE divided by `sampleCount` (the data term only; `apply`
    /// adds the L2 term): (1 / n) sum_k w_k (p_k - y_k) x_k, and the same without x_k for the bias.
    /// When the batch lives on several processes, each computes its rows' part with the whole
    /// batch's `sampleCount`; the parts' sum (`LogisticGradient(summing:)`) is the whole batch's
    /// gradient. O(nnz of the rows).
    public func gradient(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float], sampleCount: Int) -> LogisticGradient {
        precondition(rows.count == labels.count && rows.count == weights.count, "gradient: one label and weight per row")
        precondition(sampleCount >= 1, "gradient: the batch needs at least one sample")
        var sums: [Int32: Float] = [:]
        var biasGradient: Float = 0
        let scale = 1 / Float(sampleCount)
        for (k, row) in rows.enumerated() {
            let residual = (probability(features, row: row) - labels[k]) * weights[k] * scale
            biasGradient += residual
            for j in features.rowOffsets[row]..<features.rowOffsets[row + 1] {
                sums[features.columnIndices[j], default: 0] += residual * features.values[j]
            }
        }
        return LogisticGradient(columns: Array(sums.keys), values: Array(sums.values), bias: biasGradient)
    }

    /// One lazy Adam step with a batch's data gradient (plus the L2 term of each touched coefficient;
    /// the shrinkage a coefficient missed while untouched is applied first). Models that apply the
    /// same gradients in the same order stay identical. O(columns of the gradient).
    public mutating func apply(_ gradient: LogisticGradient) {
        let c = configuration
        step += 1
        let (beta1, beta2, epsilon): (Float, Float, Float) = (0.9, 0.999, 1e-8)
        let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
        for (column, g) in zip(gradient.columns, gradient.values) {
            let k = Int(column)
            let skipped = Float(step - lastStep[k] - 1)
            if skipped > 0 { coefficients[k] *= pow(1 - c.learningRate * c.l2, skipped) }
            lastStep[k] = step
            let total = g + c.l2 * coefficients[k]
            firstMoment[k] = beta1 * firstMoment[k] + (1 - beta1) * total
            secondMoment[k] = beta2 * secondMoment[k] + (1 - beta2) * total * total
            coefficients[k] -= c.learningRate * (firstMoment[k] / correction1) / ((secondMoment[k] / correction2).squareRoot() + epsilon)
        }
        let biasGradient = gradient.bias
        biasMoments.0 = beta1 * biasMoments.0 + (1 - beta1) * biasGradient
        biasMoments.1 = beta2 * biasMoments.1 + (1 - beta2) * biasGradient * biasGradient
        bias -= c.learningRate * (biasMoments.0 / correction1) / ((biasMoments.1 / correction2).squareRoot() + epsilon)
    }
}
