import Foundation
import VaneTensor

/// L2-regularised logistic regression over sparse features, trained by mini-batch Adam with
/// per-example weights: minimises (1/n) sum_i w_i BCE(w . x_i + b, y_i) + (l2 / 2) ||w||^2.
///
/// Cost O(epochs x nnz). Deterministic for a generator seed.
public struct LogisticRegression: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var l2: Float = 1e-4
        public var learningRate: Float = 0.05
        public var epochs: Int = 8
        public var batchSize: Int = 256
        public init() {}

        public func validate() throws(LinearModelError) {
            guard l2 >= 0, l2.isFinite else { throw LinearModelError(.invalidConfiguration, "l2 must be finite and >= 0, got \(l2)", field: "l2") }
            guard learningRate > 0, learningRate.isFinite else { throw LinearModelError(.invalidConfiguration, "learningRate must be positive, got \(learningRate)", field: "learningRate") }
            guard epochs >= 1, batchSize >= 1 else { throw LinearModelError(.invalidConfiguration, "epochs and batchSize must be positive", field: epochs >= 1 ? "batchSize" : "epochs") }
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) throws(LinearModelError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Fits on `features` rows with `labels` (and optional non-negative `weights`).
    public func fit(features: SparseRowMatrix, labels: [Bool], weights: [Float]? = nil,
                    using generator: inout SeededGenerator) throws(LinearModelError) -> FittedLogisticRegression {
        guard features.rowCount == labels.count, features.rowCount > 0 else {
            throw LinearModelError(.invalidInput, "need one label per row and at least one row (rows \(features.rowCount), labels \(labels.count))")
        }
        if let weights, weights.count != labels.count || weights.contains(where: { !($0 >= 0) || !$0.isFinite }) {
            throw LinearModelError(.invalidInput, "weights must be one finite, non-negative value per row")
        }
        var model = OnlineLogisticRegression(columnCount: features.columnCount, configuration: configuration)
        var order = Array(0..<features.rowCount)
        for _ in 0..<configuration.epochs {
            order.seededShuffle(using: &generator)
            for start in stride(from: 0, to: order.count, by: configuration.batchSize) {
                let batch = Array(order[start..<min(order.count, start + configuration.batchSize)])
                model.update(features: features, rows: batch, labels: batch.map { labels[$0] ? 1 : 0 },
                             weights: batch.map { weights?[$0] ?? 1 })
            }
        }
        let (coefficients, bias) = (model.coefficients, model.bias)
        guard coefficients.allSatisfy(\.isFinite), bias.isFinite else {
            throw LinearModelError(.diverged, "training diverged; lower the learning rate (now \(configuration.learningRate))")
        }
        return FittedLogisticRegression(coefficients: coefficients, bias: bias, l2: configuration.l2)
    }
}

/// A fitted logistic regression: P(y = 1 | x) = sigmoid(w . x + b).
public struct FittedLogisticRegression: Sendable, Equatable {
    public let coefficients: [Float]
    public let bias: Float
    /// The prior precision used by `laplaceLogitVariance` (the training L2 strength).
    public let l2: Float

    public init(coefficients: [Float], bias: Float, l2: Float) {
        self.coefficients = coefficients
        self.bias = bias
        self.l2 = l2
    }

    public func logit(_ features: SparseRowMatrix, row: Int) -> Float { features.dot(row: row, coefficients) + bias }

    /// The logit of one sparse example given as (column, value) pairs. O(nnz).
    public func logit(columns: some Collection<Int32>, values: some Collection<Float>) -> Float {
        var total = bias
        for (column, value) in zip(columns, values) { total += coefficients[Int(column)] * value }
        return total
    }

    public func probability(_ features: SparseRowMatrix, row: Int) -> Float { Sigmoid.value(logit(features, row: row)) }

    /// Diagonal Laplace approximation of the posterior (MacKay 1992): precision of coefficient j is
    /// lambda_j = l2 * n + sum_i p_i (1 - p_i) x_ij^2 over the training rows, and the predictive
    /// variance of a logit is sum_j x_j^2 / lambda_j (+ the bias term). A feature value seen rarely has
    /// a small lambda, hence a large variance: the signal that sparse IDs need. O(nnz).
    public func laplacePrecisions(training features: SparseRowMatrix) -> (coefficients: [Double], bias: Double) {
        let prior = Double(l2) * Double(features.rowCount) + 1e-6
        var precisions = [Double](repeating: prior, count: features.columnCount)
        var biasPrecision = prior
        for row in 0..<features.rowCount {
            let p = Double(probability(features, row: row))
            let curvature = p * (1 - p)
            biasPrecision += curvature
            for j in features.rowOffsets[row]..<features.rowOffsets[row + 1] {
                let x = Double(features.values[j])
                precisions[Int(features.columnIndices[j])] += curvature * x * x
            }
        }
        return (precisions, biasPrecision)
    }

    /// Predictive logit variance of a row under the diagonal Laplace posterior.
    public func logitVariance(_ features: SparseRowMatrix, row: Int, precisions: (coefficients: [Double], bias: Double)) -> Double {
        let range = features.rowOffsets[row]..<features.rowOffsets[row + 1]
        return logitVariance(columns: features.columnIndices[range], values: features.values[range], precisions: precisions)
    }

    /// The same for one sparse example given as (column, value) pairs. O(nnz).
    public func logitVariance(columns: some Collection<Int32>, values: some Collection<Float>,
                              precisions: (coefficients: [Double], bias: Double)) -> Double {
        var variance = 1 / precisions.bias
        for (column, value) in zip(columns, values) {
            let x = Double(value)
            variance += x * x / precisions.coefficients[Int(column)]
        }
        return variance
    }
}
