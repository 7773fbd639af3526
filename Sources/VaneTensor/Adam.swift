import Dispatch
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

    /// The constants of update number `step` (1-based): lr / (1 - b1^t), the second-moment correction
    /// 1 - b2^t and the decoupled decay factor 1 - lr * weightDecay.
    func constants(step: Int) -> (stepSize: Float, correction2: Float, decay: Float) {
        (learningRate / (1 - pow(beta1, Float(step))), 1 - pow(beta2, Float(step)), 1 - learningRate * weightDecay)
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
        let (stepSize, correction2, decay) = c.constants(step: step)
        let n = parameters.count
        parameters.values.withUnsafeMutableBufferPointer { p in
            gradient.values.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        let (pp, gp, mp, vp) = (SharedPointer(p.baseAddress!), SharedPointer(g.baseAddress!),
                                                SharedPointer(m.baseAddress!), SharedPointer(v.baseAddress!))
                        // Element-wise: each range writes its own elements, so any split gives the serial result.
                        ParallelRanges.forEach(count: n) { range in
                            for i in range {
                                mp[i] = c.beta1 * mp[i] + (1 - c.beta1) * gp[i]
                                vp[i] = c.beta2 * vp[i] + (1 - c.beta2) * gp[i] * gp[i]
                                pp[i] = pp[i] * decay - stepSize * mp[i] / ((vp[i] / correction2).squareRoot() + c.epsilon)
                            }
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
        let (stepSize, correction2, decay) = c.constants(step: step)
        let d = table.columns
        let (beta1, beta2, epsilon) = (c.beta1, c.beta2, c.epsilon)
        let inverseCorrection2 = 1 / correction2
        let rowCount = gradient.rowIndices.count
        // Touched rows are distinct, so workers own disjoint rows.
        table.values.withUnsafeMutableBufferPointer { p in
            gradient.gradients.values.withUnsafeBufferPointer { g in
                firstMoment.values.withUnsafeMutableBufferPointer { m in
                    secondMoment.values.withUnsafeMutableBufferPointer { v in
                        let (pp, gp, mp, vp) = (SharedPointer(p.baseAddress!), SharedPointer(g.baseAddress!),
                                                SharedPointer(m.baseAddress!), SharedPointer(v.baseAddress!))
                        gradient.rowIndices.withUnsafeBufferPointer { rowsBuffer in
                            let rows = SharedPointer(rowsBuffer.baseAddress!)
                            ParallelRanges.forEach(count: rowCount, serialBelow: max(1, 65_536 / max(d, 1))) { touched in
                                for j in touched {
                                    let parameters = pp + Int(rows[j]) * d, moments1 = mp + Int(rows[j]) * d
                                    let moments2 = vp + Int(rows[j]) * d, gradients = gp + j * d
                                    // Explicit 8-wide SIMD: the scalar loop did not vectorise (sqrt and
                                    // division per element dominated training time on the Debian graph).
                                    var col = 0
                                    while col + 8 <= d {
                                        let gi = UnsafeRawPointer(gradients + col).loadUnaligned(as: SIMD8<Float>.self)
                                        let mi = beta1 * UnsafeRawPointer(moments1 + col).loadUnaligned(as: SIMD8<Float>.self) + (1 - beta1) * gi
                                        let vi = beta2 * UnsafeRawPointer(moments2 + col).loadUnaligned(as: SIMD8<Float>.self) + (1 - beta2) * gi * gi
                                        let pi = UnsafeRawPointer(parameters + col).loadUnaligned(as: SIMD8<Float>.self)
                                        let updated = pi * decay - stepSize * mi / ((vi * inverseCorrection2).squareRoot() + epsilon)
                                        UnsafeMutableRawPointer(moments1 + col).storeBytes(of: mi, as: SIMD8<Float>.self)
                                        UnsafeMutableRawPointer(moments2 + col).storeBytes(of: vi, as: SIMD8<Float>.self)
                                        UnsafeMutableRawPointer(parameters + col).storeBytes(of: updated, as: SIMD8<Float>.self)
                                        col += 8
                                    }
                                    while col < d {
                                        let gi = gradients[col]
                                        let mi = beta1 * moments1[col] + (1 - beta1) * gi
                                        let vi = beta2 * moments2[col] + (1 - beta2) * gi * gi
                                        moments1[col] = mi
                                        moments2[col] = vi
                                        parameters[col] = parameters[col] * decay - stepSize * mi / ((vi * inverseCorrection2).squareRoot() + epsilon)
                                        col += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
