/// Elementwise arithmetic used by optimisers and the ops' backward passes.
extension Matrix {
    /// `self += scale * other`, elementwise (AXPY). Shapes must match.
    public mutating func add(_ other: Matrix, scaledBy scale: Float = 1) {
        precondition(rows == other.rows && columns == other.columns, "Shape mismatch in add")
        let n = count
        values.withUnsafeMutableBufferPointer { target in
            other.values.withUnsafeBufferPointer { source in
                for i in 0..<n { target[i] += scale * source[i] }
            }
        }
    }

    /// `self *= scale`, elementwise.
    public mutating func scale(by scale: Float) {
        let n = count
        values.withUnsafeMutableBufferPointer { target in
            for i in 0..<n { target[i] *= scale }
        }
    }

    /// Elementwise sum of two matrices of the same shape.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        var result = lhs
        result.add(rhs)
        return result
    }

    /// Elementwise difference of two matrices of the same shape.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        var result = lhs
        result.add(rhs, scaledBy: -1)
        return result
    }

    /// Sum of all elements, accumulated in `Double`.
    public func sum() -> Double {
        var total = 0.0
        for value in values { total += Double(value) }
        return total
    }

    /// Frobenius inner product `sum(self .* other)`, accumulated in `Double`.
    public func dot(_ other: Matrix) -> Double {
        precondition(count == other.count, "Shape mismatch in dot")
        var total = 0.0
        for i in 0..<count { total += Double(values[i]) * Double(other.values[i]) }
        return total
    }

    /// Column sums as a 1 x columns matrix (the backward of a broadcast row bias).
    public func columnSums() -> Matrix {
        var result = Matrix(rows: 1, columns: columns)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for r in 0..<rows {
                    let base = r * columns
                    for c in 0..<columns { target[c] += source[base + c] }
                }
            }
        }
        return result
    }

    /// Adds a 1 x columns row vector to every row (broadcast bias).
    public mutating func addRowVector(_ bias: Matrix) {
        precondition(bias.rows == 1 && bias.columns == columns, "Bias must be 1 x \(columns)")
        let (rowCount, columnCount) = (rows, columns)
        values.withUnsafeMutableBufferPointer { target in
            bias.values.withUnsafeBufferPointer { b in
                for r in 0..<rowCount {
                    let base = r * columnCount
                    for c in 0..<columnCount { target[base + c] += b[c] }
                }
            }
        }
    }
}
