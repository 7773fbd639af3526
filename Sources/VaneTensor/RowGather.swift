/// Gathers rows of a table by index: out[i] = table[indices[i]] (an embedding lookup).
///
/// Shapes: table (N x D), indices (B), output (B x D). O(B D). Its backward is a scatter-add into
/// the touched rows only, returned as a `SparseRowGradient` so a large table never gets a dense
/// N x D gradient.
public enum RowGather {
    /// out[i] = table[indices[i]].
    public static func forward(_ table: Matrix, indices: [Int32]) -> Matrix {
        let d = table.columns
        return Matrix(rows: indices.count, columns: d) { target in
            table.values.withUnsafeBufferPointer { source in
                guard d > 0, let targetBase = target.baseAddress, let sourceBase = source.baseAddress else { return }
                let (out, input) = (SharedPointer(targetBase), SharedPointer(sourceBase))
                // Rows on all cores for large gathers; each range writes its own output rows.
                ParallelRanges.forEach(count: indices.count, serialBelow: max(1, 65_536 / d)) { range in
                    for i in range {
                        let row = Int(indices[i])
                        precondition(row >= 0 && row < table.rows, "RowGather: index \(row) out of range")
                        (out.base + i * d).initialize(from: input.base + row * d, count: d)
                    }
                }
            }
        }
    }

    /// Backward: scatter-add the output rows' gradients into the rows they came from.
    public static func backward(outputGradient: Matrix, indices: [Int32]) -> SparseRowGradient {
        SparseRowGradient(indices: indices, rowGradients: outputGradient)
    }

    /// Dense backward for small tables: grad[indices[i]] += outputGradient[i]; (rowCount x D).
    public static func denseBackward(outputGradient: Matrix, indices: [Int32], rowCount: Int) -> Matrix {
        var gradient = Matrix(rows: rowCount, columns: outputGradient.columns)
        accumulateBackward(outputGradient: outputGradient, indices: indices, into: &gradient)
        return gradient
    }

    /// Scatter-adds into an existing dense gradient: gradient[indices[i]] += outputGradient[i].
    /// No hashing of duplicates (they add in place, in index order). Large scatters run on all cores,
    /// each core adding the indices that fall in its own range of gradient rows, in index order, so
    /// every element receives the same additions in the same order as on one core. O(B D), plus
    /// O(B) per core to find its indices.
    public static func accumulateBackward(outputGradient: Matrix, indices: [Int32], into gradient: inout Matrix) {
        let d = outputGradient.columns
        precondition(gradient.columns == d && indices.count == outputGradient.rows, "RowGather: gradient shape mismatch")
        let rowCount = gradient.rows
        for index in indices { precondition(index >= 0 && Int(index) < rowCount, "RowGather: index \(index) out of range") }
        guard d > 0, !indices.isEmpty else { return }
        outputGradient.values.withUnsafeBufferPointer { source in
            gradient.values.withUnsafeMutableBufferPointer { target in
                let (out, input) = (SharedPointer(target.baseAddress!), SharedPointer(source.baseAddress!))
                let parts = indices.count * d >= 65_536 ? 8 : 1
                ParallelRanges.forEach(count: rowCount, parts: parts, serialBelow: 0) { owned in
                    for (i, index) in indices.enumerated() where owned.contains(Int(index)) {
                        let from = i * d, to = Int(index) * d
                        for c in 0..<d { out[to + c] += input[from + c] }
                    }
                }
            }
        }
    }
}

/// A gradient that is non-zero only on some rows of a table: `rowIndices[j]` holds `gradients` row j.
///
/// Built by summing duplicate indices, so each touched row appears once; order is first appearance.
public struct SparseRowGradient: Sendable, Equatable {
    /// Distinct touched rows of the table, in order of first appearance.
    public private(set) var rowIndices: [Int32]
    /// One gradient row per touched table row (rowIndices.count x D).
    public private(set) var gradients: Matrix

    /// Sums `rowGradients[i]` into the entry for `indices[i]`. O(B D) expected (hashing).
    public init(indices: [Int32], rowGradients: Matrix) {
        precondition(indices.count == rowGradients.rows, "SparseRowGradient: one index per row")
        let d = rowGradients.columns
        var slotOf: [Int32: Int] = [:]
        slotOf.reserveCapacity(indices.count)
        var order: [Int32] = []
        var slots = [Int](repeating: 0, count: indices.count)
        for (i, index) in indices.enumerated() {
            if let slot = slotOf[index] {
                slots[i] = slot
            } else {
                slotOf[index] = order.count
                slots[i] = order.count
                order.append(index)
            }
        }
        var summed = Matrix(rows: order.count, columns: d)
        rowGradients.values.withUnsafeBufferPointer { source in
            summed.values.withUnsafeMutableBufferPointer { target in
                for i in 0..<indices.count {
                    let from = i * d, to = slots[i] * d
                    for c in 0..<d { target[to + c] += source[from + c] }
                }
            }
        }
        rowIndices = order
        gradients = summed
    }

    /// Rows already known to be distinct (a plan's node list): taken as they are, no hashing.
    public init(distinctIndices: [Int32], gradients: Matrix) {
        precondition(distinctIndices.count == gradients.rows, "SparseRowGradient: one index per row")
        rowIndices = distinctIndices
        self.gradients = gradients
    }

    /// Adds this gradient into a dense matrix of the table's shape.
    public func add(into dense: inout Matrix) {
        let d = gradients.columns
        precondition(dense.columns == d, "SparseRowGradient: column mismatch")
        for (j, row) in rowIndices.enumerated() {
            let to = Int(row) * d, from = j * d
            for c in 0..<d { dense.values[to + c] += gradients.values[from + c] }
        }
    }
}
