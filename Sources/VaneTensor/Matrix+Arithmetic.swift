/// Elementwise arithmetic used by optimisers and the ops' backward passes.
extension Matrix {
    /// `self += scale * other`, elementwise (AXPY). Shapes must match.
    /// Large matrices on all cores (`ParallelRanges`: the same result as one core).
    public mutating func add(_ other: Matrix, scaledBy scale: Float = 1) {
        precondition(rows == other.rows && columns == other.columns, "Shape mismatch in add")
        guard count > 0 else { return }
        values.withUnsafeMutableBufferPointer { target in
            other.values.withUnsafeBufferPointer { source in
                let (out, input) = (SharedPointer(target.baseAddress!), SharedPointer(source.baseAddress!))
                ParallelRanges.forEach(count: target.count) { range in
                    for i in range { out[i] += scale * input[i] }
                }
            }
        }
    }

    /// `self *= scale`, elementwise; large matrices on all cores.
    public mutating func scale(by scale: Float) {
        guard count > 0 else { return }
        values.withUnsafeMutableBufferPointer { target in
            let out = SharedPointer(target.baseAddress!)
            ParallelRanges.forEach(count: target.count) { range in
                for i in range { out[i] *= scale }
            }
        }
    }

    /// Row r += coefficients[r] * other's row r, for every row (shapes must match, one coefficient a
    /// row); large matrices on all cores. O(rows x columns).
    public mutating func addScaledRows(_ other: Matrix, coefficients: [Float]) {
        precondition(rows == other.rows && columns == other.columns && coefficients.count == rows, "Shape mismatch in addScaledRows")
        let d = columns
        guard count > 0 else { return }
        values.withUnsafeMutableBufferPointer { target in
            other.values.withUnsafeBufferPointer { source in
                let (out, input) = (SharedPointer(target.baseAddress!), SharedPointer(source.baseAddress!))
                ParallelRanges.forEach(count: rows, serialBelow: max(1, 65_536 / d)) { range in
                    for r in range {
                        let coefficient = coefficients[r]
                        for c in (r * d)..<((r + 1) * d) { out[c] += coefficient * input[c] }
                    }
                }
            }
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
