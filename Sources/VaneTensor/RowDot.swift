/// Row-wise inner products: out[i] = <A[i], B[i]> (the score s_u . t_v of a batch of edges).
///
/// Shapes: A and B (n x d), output n values. Backward: dA[i] = g[i] B[i], dB[i] = g[i] A[i]. O(n d).
public enum RowDot {
    public static func forward(_ a: Matrix, _ b: Matrix) -> [Float] {
        precondition(a.rows == b.rows && a.columns == b.columns, "RowDot: shapes differ")
        let d = a.columns
        var result = [Float](repeating: 0, count: a.rows)
        a.values.withUnsafeBufferPointer { x in
            b.values.withUnsafeBufferPointer { y in
                for i in 0..<a.rows {
                    var total: Float = 0
                    let base = i * d
                    for c in 0..<d { total += x[base + c] * y[base + c] }
                    result[i] = total
                }
            }
        }
        return result
    }

    public static func backward(outputGradient: [Float], a: Matrix, b: Matrix) -> (a: Matrix, b: Matrix) {
        precondition(outputGradient.count == a.rows, "RowDot: one gradient per row")
        let d = a.columns
        var gradientA = Matrix(rows: a.rows, columns: d)
        var gradientB = Matrix(rows: b.rows, columns: d)
        for i in 0..<a.rows {
            let g = outputGradient[i]
            let base = i * d
            for c in 0..<d {
                gradientA.values[base + c] = g * b.values[base + c]
                gradientB.values[base + c] = g * a.values[base + c]
            }
        }
        return (gradientA, gradientB)
    }
}
