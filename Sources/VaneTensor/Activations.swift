import Dispatch
import Foundation

/// Rectified linear unit, elementwise: y = max(x, 0); dy/dx = 1 where x > 0 else 0.
public enum ReLU {
    public static func forward(_ input: Matrix) -> Matrix {
        var output = input
        output.values.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = max(buffer[i], 0) }
        }
        return output
    }

    /// In place: x = max(x, 0), without the copy `forward` makes. 16 lanes at a time (the scalar
    /// loop compiles to a compare and branch per element), both cores on large matrices.
    public static func apply(_ values: inout Matrix) {
        values.values.withUnsafeMutableBufferPointer { buffer in
            let base = SharedPointer(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
            forEachBlock(count: buffer.count) { range in
                var i = range.lowerBound
                while i + 16 <= range.upperBound {
                    let x = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(base + i).storeBytes(of: x.replacing(with: 0, where: x .< 0), as: SIMD16<Float>.self)
                    i += 16
                }
                while i < range.upperBound { base[i] = max(base[i], 0); i += 1 }
            }
        }
    }

    /// In place: the gradient is zeroed where the forward *output* is zero (16 lanes at a time).
    public static func backward(_ gradient: inout Matrix, output: Matrix) {
        precondition(gradient.count == output.count, "ReLU.backward: shapes differ")
        gradient.values.withUnsafeMutableBufferPointer { g in
            output.values.withUnsafeBufferPointer { y in
                let gradients = SharedPointer(g.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
                let outputs = SharedPointer(y.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                forEachBlock(count: g.count) { range in
                    var i = range.lowerBound
                    while i + 16 <= range.upperBound {
                        let gi = UnsafeRawPointer(gradients + i).loadUnaligned(as: SIMD16<Float>.self)
                        let yi = UnsafeRawPointer(outputs + i).loadUnaligned(as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(gradients + i).storeBytes(of: gi.replacing(with: 0, where: yi .<= 0), as: SIMD16<Float>.self)
                        i += 16
                    }
                    while i < range.upperBound { if outputs[i] <= 0 { gradients[i] = 0 }; i += 1 }
                }
            }
        }
    }

    /// Runs `body` over [0, count) in one block, or in one block per core when the work is large
    /// enough to pay for the dispatch.
    private static func forEachBlock(count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let blocks = count >= 1 << 20 ? 2 : 1
        if blocks == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            body((count * block / blocks)..<(count * (block + 1) / blocks))
        }
    }

    /// Backward from the forward *output* (zero exactly where the input was clipped).
    public static func backward(outputGradient: Matrix, output: Matrix) -> Matrix {
        var gradient = outputGradient
        gradient.values.withUnsafeMutableBufferPointer { g in
            output.values.withUnsafeBufferPointer { y in
                for i in g.indices { g[i] = y[i] > 0 ? g[i] : 0 }
            }
        }
        return gradient
    }
}

/// Logistic sigmoid, elementwise: y = 1 / (1 + e^-x); dy/dx = y (1 - y). Numerically stable for
/// large |x| (never computes e^x for large positive x).
public enum Sigmoid {
    @inlinable public static func value(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    public static func forward(_ input: Matrix) -> Matrix {
        var output = input
        for i in 0..<output.count { output.values[i] = value(output.values[i]) }
        return output
    }

    public static func backward(outputGradient: Matrix, output: Matrix) -> Matrix {
        var gradient = outputGradient
        for i in 0..<gradient.count {
            let y = output.values[i]
            gradient.values[i] *= y * (1 - y)
        }
        return gradient
    }
}

/// Softplus, elementwise: y = log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|);
/// dy/dx = sigmoid(x).
public enum Softplus {
    @inlinable public static func value(_ x: Float) -> Float {
        max(x, 0) + log1p(exp(-abs(x)))
    }

    public static func forward(_ input: Matrix) -> Matrix {
        var output = input
        for i in 0..<output.count { output.values[i] = value(output.values[i]) }
        return output
    }

    public static func backward(outputGradient: Matrix, input: Matrix) -> Matrix {
        var gradient = outputGradient
        for i in 0..<gradient.count { gradient.values[i] *= Sigmoid.value(input.values[i]) }
        return gradient
    }
}
