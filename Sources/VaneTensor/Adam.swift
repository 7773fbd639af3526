import Foundation

/// Settings shared by the dense and sparse Adam optimisers (Kingma & Ba, ICLR 2015).
public struct AdamConfiguration: Sendable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Decoupled weight decay (AdamW, Loshchilov & Hutter 2019); 0 disables it.
    public var weightDecay: Float

    public init(learningRate: Float = 0.01, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

/// Dense Adam for one parameter matrix:
/// m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
/// p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). O(size) per step.
public struct Adam: Sendable {
    public let configuration: AdamConfiguration
    private var firstMoment: [Float]
    private var secondMoment: [Float]
    public private(set) var step: Int = 0

    public init(parameterCount: Int, configuration: AdamConfiguration = .init()) {
        self.configuration = configuration
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// Applies one update to `parameters` given its gradient (same shape).
    public mutating func update(_ parameters: inout Matrix, gradient: Matrix) {
        precondition(parameters.count == firstMoment.count && gradient.count == firstMoment.count,
                     "Adam: parameter/gradient size mismatch")
        step += 1
        let c = configuration
        let correction1 = 1 - pow(c.beta1, Float(step))
        let correction2 = 1 - pow(c.beta2, Float(step))
        let stepSize = c.learningRate / correction1
        let decay = 1 - c.learningRate * c.weightDecay
        let n = parameters.count
        parameters.values.withUnsafeMutableBufferPointer { p in
            gradient.values.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for i in 0..<n {
                            m[i] = c.beta1 * m[i] + (1 - c.beta1) * g[i]
                            v[i] = c.beta2 * v[i] + (1 - c.beta2) * g[i] * g[i]
                            p[i] = p[i] * decay - stepSize * m[i] / ((v[i] / correction2).squareRoot() + c.epsilon)
                        }
                    }
                }
            }
        }
    }
}

/// Lazy (sparse) Adam for embedding tables: only rows present in the gradient have their moments
/// and values updated, as PyTorch's `SparseAdam`; bias correction uses the global step count.
/// O(touched rows x D) per step, never O(N x D).
public struct SparseAdam: Sendable {
    public let configuration: AdamConfiguration
    private var firstMoment: Matrix
    private var secondMoment: Matrix
    public private(set) var step: Int = 0

    public init(rows: Int, columns: Int, configuration: AdamConfiguration = .init()) {
        self.configuration = configuration
        firstMoment = Matrix(rows: rows, columns: columns)
        secondMoment = Matrix(rows: rows, columns: columns)
    }

    public mutating func update(_ table: inout Matrix, gradient: SparseRowGradient) {
        precondition(table.rows == firstMoment.rows && table.columns == firstMoment.columns,
                     "SparseAdam: table shape mismatch")
        step += 1
        let c = configuration
        let correction1 = 1 - pow(c.beta1, Float(step))
        let correction2 = 1 - pow(c.beta2, Float(step))
        let stepSize = c.learningRate / correction1
        let decay = 1 - c.learningRate * c.weightDecay
        let d = table.columns
        table.values.withUnsafeMutableBufferPointer { p in
            gradient.gradients.values.withUnsafeBufferPointer { g in
                firstMoment.values.withUnsafeMutableBufferPointer { m in
                    secondMoment.values.withUnsafeMutableBufferPointer { v in
                        for (j, row) in gradient.rowIndices.enumerated() {
                            let base = Int(row) * d, from = j * d
                            for col in 0..<d {
                                let i = base + col, gi = g[from + col]
                                m[i] = c.beta1 * m[i] + (1 - c.beta1) * gi
                                v[i] = c.beta2 * v[i] + (1 - c.beta2) * gi * gi
                                p[i] = p[i] * decay - stepSize * m[i] / ((v[i] / correction2).squareRoot() + c.epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}
