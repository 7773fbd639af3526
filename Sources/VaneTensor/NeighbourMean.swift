/// Fused gather + segment mean: out[s] = mean over j in offsets[s]..<offsets[s+1] of table[indices[j]].
///
/// The GNN neighbour aggregation without materialising the gathered (M x D) matrix. Shapes: table
/// (N x D), indices (M), offsets (S + 1) with offsets[S] == M, output (S x D); an empty segment gives
/// a zero row. Backward scatters g[s] / |s| into each gathered row. O(M D) both ways.
public enum NeighbourMean {
    public static func forward(_ table: Matrix, indices: [Int32], offsets: [Int]) -> Matrix {
        let segmentCount = offsets.count - 1
        precondition(segmentCount >= 0 && offsets.last == indices.count, "NeighbourMean: offsets must end at indices.count")
        let d = table.columns
        var result = Matrix(rows: segmentCount, columns: d)
        table.values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for s in 0..<segmentCount {
                    let start = offsets[s], end = offsets[s + 1]
                    if end <= start { continue }
                    let out = s * d
                    for j in start..<end {
                        let from = Int(indices[j]) * d
                        for c in 0..<d { target[out + c] += source[from + c] }
                    }
                    let inverse = 1 / Float(end - start)
                    for c in 0..<d { target[out + c] *= inverse }
                }
            }
        }
        return result
    }

    /// Adds the gradient with respect to `table` into `tableGradient` (same shape as the table).
    public static func backward(outputGradient: Matrix, indices: [Int32], offsets: [Int], into tableGradient: inout Matrix) {
        let d = outputGradient.columns
        precondition(tableGradient.columns == d, "NeighbourMean: gradient width mismatch")
        outputGradient.values.withUnsafeBufferPointer { source in
            tableGradient.values.withUnsafeMutableBufferPointer { target in
                for s in 0..<(offsets.count - 1) {
                    let start = offsets[s], end = offsets[s + 1]
                    if end <= start { continue }
                    let inverse = 1 / Float(end - start)
                    let from = s * d
                    for j in start..<end {
                        let to = Int(indices[j]) * d
                        for c in 0..<d { target[to + c] += source[from + c] * inverse }
                    }
                }
            }
        }
    }
}
