/// Mean of consecutive row segments: out[s] = mean(values[offsets[s] ..< offsets[s+1]]).
///
/// This is the neighbour aggregation of a GNN once neighbours are gathered in CSR order.
/// Shapes: values (M x D), offsets (S + 1, non-decreasing, offsets[S] == M), output (S x D).
/// An empty segment yields a zero row. O(M D) forward and backward.
public enum SegmentMean {
    /// out[s] = mean of the rows of segment s (zero when empty).
    public static func forward(_ values: Matrix, offsets: [Int]) -> Matrix {
        let segmentCount = offsets.count - 1
        precondition(segmentCount >= 0 && offsets.last == values.rows, "SegmentMean: offsets must end at \(values.rows)")
        let d = values.columns
        var result = Matrix(rows: segmentCount, columns: d)
        values.values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for s in 0..<segmentCount {
                    let start = offsets[s], end = offsets[s + 1]
                    if end <= start { continue }
                    let out = s * d
                    for r in start..<end {
                        let from = r * d
                        for c in 0..<d { target[out + c] += source[from + c] }
                    }
                    let inverse = 1 / Float(end - start)
                    for c in 0..<d { target[out + c] *= inverse }
                }
            }
        }
        return result
    }

    /// Backward: each row of segment s receives outputGradient[s] / |s|.
    public static func backward(outputGradient: Matrix, offsets: [Int]) -> Matrix {
        let d = outputGradient.columns
        let total = offsets.last ?? 0
        var result = Matrix(rows: total, columns: d)
        outputGradient.values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for s in 0..<(offsets.count - 1) {
                    let start = offsets[s], end = offsets[s + 1]
                    if end <= start { continue }
                    let inverse = 1 / Float(end - start)
                    let from = s * d
                    for r in start..<end {
                        let to = r * d
                        for c in 0..<d { target[to + c] = source[from + c] * inverse }
                    }
                }
            }
        }
        return result
    }
}
