import VaneTensor

/// Central finite differences of a scalar function with respect to every element of `input`,
/// in Double to keep truncation error below the checks' tolerance.
func numericalGradient(of input: Matrix, step: Float = 1e-2, _ f: (Matrix) -> Double) -> Matrix {
    var gradient = Matrix(rows: input.rows, columns: input.columns)
    for i in 0..<input.count {
        var plus = input, minus = input
        plus.values[i] += step
        minus.values[i] -= step
        gradient.values[i] = Float((f(plus) - f(minus)) / (2 * Double(step)))
    }
    return gradient
}

/// Largest relative difference max|a - b| / max(1, max|b|).
func maxRelativeError(_ a: Matrix, _ b: Matrix) -> Float {
    precondition(a.count == b.count)
    var worst: Float = 0
    let scale = max(1, b.values.map(abs).max() ?? 0)
    for i in 0..<a.count { worst = max(worst, abs(a.values[i] - b.values[i]) / scale) }
    return worst
}

func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    return Matrix.normal(rows: rows, columns: columns, standardDeviation: 1, using: &generator)
}
