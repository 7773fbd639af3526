/// Horizontal concatenation [A || B]: shapes (n x a) and (n x b) give (n x (a + b)). O(n (a + b)).
public enum ColumnConcat {
    public static func forward(_ left: Matrix, _ right: Matrix) -> Matrix {
        precondition(left.rows == right.rows, "ColumnConcat: row counts differ")
        let (n, a, b) = (left.rows, left.columns, right.columns)
        var result = Matrix(rows: n, columns: a + b)
        for r in 0..<n {
            for c in 0..<a { result.values[r * (a + b) + c] = left.values[r * a + c] }
            for c in 0..<b { result.values[r * (a + b) + a + c] = right.values[r * b + c] }
        }
        return result
    }

    /// Splits the output gradient back into the left (n x leftColumns) and right parts.
    public static func backward(outputGradient: Matrix, leftColumns: Int) -> (left: Matrix, right: Matrix) {
        let n = outputGradient.rows, total = outputGradient.columns
        let b = total - leftColumns
        var left = Matrix(rows: n, columns: leftColumns)
        var right = Matrix(rows: n, columns: b)
        for r in 0..<n {
            for c in 0..<leftColumns { left.values[r * leftColumns + c] = outputGradient.values[r * total + c] }
            for c in 0..<b { right.values[r * b + c] = outputGradient.values[r * total + leftColumns + c] }
        }
        return (left, right)
    }
}
