import Dispatch
import Foundation
import VaneTensor

/// The convex objective `NeighbourhoodBlendFitter` minimises, and its damped Newton minimiser.
///
/// Rows of `features` (R x W) come in query groups (`queryStarts`, Q + 1 offsets, the true target
/// first in each group); `offsets` (R) are fixed logit offsets (the logQ correction of sampled
/// candidates); `pairs` (P x W) are feature differences x(u -> v) - x(v -> u) of one-way edges:
///   L(theta) = (1/Q) sum_q [logsumexp_{r in q} z_r - z_{first(q)}] + (w/P) sum_p log(1 + e^{-pairs_p theta})
///              + (l2 / 2) |theta|^2,   z = features theta + offsets.
/// Gradient and Hessian are exact: the softmax part's Hessian is
/// (1/Q) sum_q [sum_r p_r x_r x_r^T - mu_q mu_q^T] with mu_q = sum_r p_r x_r, built with two GEMMs.
/// Newton steps are solved in Double by Cholesky with backtracking (Armijo) line search; the
/// objective is strictly convex for l2 > 0, so the minimum is unique and reached in ~10-30 steps.
/// Cost per step: O(R W^2) (the GEMM forming the Hessian) plus O(W^3).
struct BlendObjective {
    let features: Matrix
    let offsets: [Float]
    let queryStarts: [Int]
    let pairs: Matrix
    let directionWeight: Float
    let l2: Float

    var width: Int { features.columns }
    var queryCount: Int { max(1, queryStarts.count - 1) }

    /// L(theta).
    func value(_ theta: [Float]) -> Double {
        evaluate(theta, derivatives: false).value
    }

    /// L(theta), its gradient and (when `derivatives`) its Hessian (W x W, row-major, Double).
    func evaluate(_ theta: [Float], derivatives: Bool = true) -> (value: Double, gradient: [Double], hessian: [Double]) {
        let w = width, rowCount = features.rows, q = Double(queryCount)
        var logits = Self.product(features, theta)
        var value = 0.0
        // Residual p - onehot (scaled by 1/Q) for the gradient; sqrt(p / Q) scales rows for the Hessian.
        var residual = [Float](repeating: 0, count: rowCount)
        var rootWeight = [Float](repeating: 0, count: rowCount)
        var means = [Float](repeating: 0, count: max(0, queryStarts.count - 1) * w)
        for group in 0..<max(0, queryStarts.count - 1) {
            let range = queryStarts[group]..<queryStarts[group + 1]
            guard !range.isEmpty else { continue }
            var top = -Float.infinity
            for r in range { logits[r] += offsets[r]; top = max(top, logits[r]) }
            var total: Float = 0
            for r in range { total += exp(logits[r] - top) }
            value += Double(log(total) + top - logits[range.lowerBound]) / q
            for r in range {
                let p = exp(logits[r] - top) / total
                residual[r] = (p - (r == range.lowerBound ? 1 : 0)) / Float(q)
                guard derivatives else { continue }
                rootWeight[r] = (p / Float(q)).squareRoot()
                for j in 0..<w { means[group * w + j] += p * features.values[r * w + j] }
            }
        }
        var gradient = [Double](repeating: 0, count: w)
        var hessian = [Double](repeating: 0, count: w * w)
        if rowCount > 0 {
            gradient = Self.transposedProduct(features, residual)
            if derivatives {
                var scaled = features
                for r in 0..<rowCount { for j in 0..<w { scaled.values[r * w + j] *= rootWeight[r] } }
                let outer = MatrixProduct.forward(scaled, scaled, transposeA: true)
                let meanMatrix = Matrix(rows: queryStarts.count - 1, columns: w, values: means)
                let meanOuter = MatrixProduct.forward(meanMatrix, meanMatrix, transposeA: true)
                for i in 0..<(w * w) { hessian[i] = Double(outer.values[i]) - Double(meanOuter.values[i]) / q }
            }
        }
        let pairCount = pairs.rows
        if pairCount > 0 && directionWeight > 0 {
            let pairWeight = Double(directionWeight) / Double(pairCount)
            let margins = Self.product(pairs, theta)
            var slope = [Float](repeating: 0, count: pairCount)
            var scaled = derivatives ? pairs : Matrix(rows: 0, columns: w)
            for p in 0..<pairCount {
                let m = Double(margins[p])
                // log(1 + e^-m), computed stably; its derivative is -sigmoid(-m).
                value += pairWeight * (m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m)))
                let sigmoid = 1 / (1 + exp(-m))
                slope[p] = Float(-pairWeight * (1 - sigmoid))
                if derivatives {
                    let curvature = Float((pairWeight * sigmoid * (1 - sigmoid)).squareRoot())
                    for j in 0..<w { scaled.values[p * w + j] *= curvature }
                }
            }
            for (j, g) in Self.transposedProduct(pairs, slope).enumerated() { gradient[j] += g }
            if derivatives {
                let outer = MatrixProduct.forward(scaled, scaled, transposeA: true)
                for i in 0..<(w * w) { hessian[i] += Double(outer.values[i]) }
            }
        }
        for j in 0..<w {
            value += Double(l2) / 2 * Double(theta[j]) * Double(theta[j])
            gradient[j] += Double(l2) * Double(theta[j])
            if derivatives { hessian[j * w + j] += Double(l2) }
        }
        return (value, gradient, hessian)
    }

    /// The minimiser from `start`: damped Newton steps until the Newton decrement is below
    /// `tolerance` or `maximumSteps` were taken. Returns theta, the final value and the steps taken.
    func minimise(from start: [Float], maximumSteps: Int = 50, tolerance: Double = 1e-7) -> (theta: [Float], value: Double, steps: Int) {
        var theta = start
        var steps = 0
        var current = evaluate(theta)
        while steps < maximumSteps {
            steps += 1
            guard let direction = Self.solve(current.hessian, current.gradient.map { -$0 }, size: width) else { break }
            let slope = zip(current.gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
            // The Newton decrement lambda^2 / 2 = -slope / 2 bounds the remaining suboptimality.
            if -slope / 2 < tolerance { break }
            var step = 1.0
            var accepted = false
            for _ in 0..<30 {
                let candidate = zip(theta, direction).map { Float(Double($0) + step * $1) }
                let candidateValue = value(candidate)
                if candidateValue.isFinite && candidateValue <= current.value + 1e-4 * step * slope {
                    theta = candidate
                    accepted = true
                    break
                }
                step /= 2
            }
            guard accepted else { break }
            current = evaluate(theta)
        }
        return (theta, current.value, steps)
    }

    /// a theta (rows of a on all cores). A GEMM with one column would first pack all of a.
    static func product(_ a: Matrix, _ theta: [Float]) -> [Float] {
        let rows = a.rows, w = a.columns
        var result = [Float](repeating: 0, count: rows)
        guard rows > 0 else { return result }
        result.withUnsafeMutableBufferPointer { output in
            let out = SharedPointer(output.baseAddress!)
            a.values.withUnsafeBufferPointer { buffer in
                let values = SharedPointer(buffer.baseAddress!)
                ParallelRanges.forEach(count: rows) { range in
                    for r in range {
                        var total: Float = 0
                        for j in 0..<w { total += values[r * w + j] * theta[j] }
                        out[r] = total
                    }
                }
            }
        }
        return result
    }

    /// a^T v in Double (rows of a on all cores, partial sums added at the end).
    static func transposedProduct(_ a: Matrix, _ v: [Float]) -> [Double] {
        let rows = a.rows, w = a.columns
        let parts = rows >= 65_536 ? 8 : 1
        var partials = [Double](repeating: 0, count: parts * w)
        partials.withUnsafeMutableBufferPointer { output in
            let out = SharedPointer(output.baseAddress!)
            a.values.withUnsafeBufferPointer { buffer in
                let values = SharedPointer(buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var sums = [Float](repeating: 0, count: w)
                    var pending = 0
                    for r in (rows * part / parts)..<(rows * (part + 1) / parts) {
                        let scale = v[r]
                        if scale != 0 { for j in 0..<w { sums[j] += scale * values[r * w + j] } }
                        pending += 1
                        // Flush the Float sums into Double every 4096 rows to bound rounding.
                        if pending == 4096 {
                            for j in 0..<w { out[part * w + j] += Double(sums[j]); sums[j] = 0 }
                            pending = 0
                        }
                    }
                    for j in 0..<w { out[part * w + j] += Double(sums[j]) }
                }
            }
        }
        var result = [Double](repeating: 0, count: w)
        for part in 0..<parts { for j in 0..<w { result[j] += partials[part * w + j] } }
        return result
    }

    /// Solves H x = b for a symmetric positive definite H (n x n) by Cholesky; nil if H is not
    /// positive definite even after a small diagonal jitter.
    static func solve(_ h: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var jitter = 0.0
        for _ in 0..<6 {
            var l = [Double](repeating: 0, count: n * n)
            var ok = true
            factor: for i in 0..<n {
                for j in 0...i {
                    var sum = h[i * n + j] + (i == j ? jitter : 0)
                    for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                    if i == j {
                        guard sum > 0 else { ok = false; break factor }
                        l[i * n + i] = sum.squareRoot()
                    } else {
                        l[i * n + j] = sum / l[j * n + j]
                    }
                }
            }
            if ok {
                var y = b
                for i in 0..<n {
                    for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
                    y[i] /= l[i * n + i]
                }
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
                    y[i] /= l[i * n + i]
                }
                return y.allSatisfy(\.isFinite) ? y : nil
            }
            let diagonal = (0..<n).map { abs(h[$0 * n + $0]) }.max() ?? 1
            jitter = jitter == 0 ? 1e-10 * max(diagonal, 1) : jitter * 100
        }
        return nil
    }
}
