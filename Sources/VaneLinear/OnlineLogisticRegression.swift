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
    public mutating func update(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float]) {
        precondition(rows.count == labels.count && rows.count == weights.count, "update: one label and weight per row")
        guard !rows.isEmpty else { return }
        let c = configuration
        var gradient: [Int32: Float] = [:]
        var biasGradient: Float = 0
        let scale = 1 / Float(rows.count)
        for (k, row) in rows.enumerated() {
            let residual = (probability(features, row: row) - labels[k]) * weights[k] * scale
            biasGradient += residual
            for j in features.rowOffsets[row]..<features.rowOffsets[row + 1] {
                gradient[features.columnIndices[j], default: 0] += residual * features.values[j]
            }
        }
        step += 1
        let (beta1, beta2, epsilon): (Float, Float, Float) = (0.9, 0.999, 1e-8)
        let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
        for (column, g) in gradient {
            let k = Int(column)
            let skipped = Float(step - lastStep[k] - 1)
            if skipped > 0 { coefficients[k] *= pow(1 - c.learningRate * c.l2, skipped) }
            lastStep[k] = step
            let total = g + c.l2 * coefficients[k]
            firstMoment[k] = beta1 * firstMoment[k] + (1 - beta1) * total
            secondMoment[k] = beta2 * secondMoment[k] + (1 - beta2) * total * total
            coefficients[k] -= c.learningRate * (firstMoment[k] / correction1) / ((secondMoment[k] / correction2).squareRoot() + epsilon)
        }
        biasMoments.0 = beta1 * biasMoments.0 + (1 - beta1) * biasGradient
        biasMoments.1 = beta2 * biasMoments.1 + (1 - beta2) * biasGradient * biasGradient
        bias -= c.learningRate * (biasMoments.0 / correction1) / ((biasMoments.1 / correction2).squareRoot() + epsilon)
    }
}
