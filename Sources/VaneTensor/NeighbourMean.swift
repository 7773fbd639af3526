import Dispatch

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
        // Segments write disjoint output rows, so they split across cores. Each output row is
        // summed in registers, 16 columns at a time, and written once (no zero-fill, no re-reads).
        let chunks = indices.count * d >= 262_144 ? 8 : 1
        return Matrix(rows: segmentCount, columns: d) { targetBuffer in
            table.values.withUnsafeBufferPointer { sourceBuffer in
                let source = SharedPointer(sourceBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                let target = SharedPointer(targetBuffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
                indices.withUnsafeBufferPointer { indexBuffer in
                    let indexPointer = SharedPointer(indexBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                    offsets.withUnsafeBufferPointer { offsetBuffer in
                        let offsetPointer = SharedPointer(offsetBuffer.baseAddress!)
                        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                            for s in (segmentCount * chunk / chunks)..<(segmentCount * (chunk + 1) / chunks) {
                                let start = offsetPointer[s], end = offsetPointer[s + 1]
                                let out = target + s * d
                                let inverse: Float = end > start ? 1 / Float(end - start) : 0
                                var c = 0
                                while c + 16 <= d {
                                    var sum = SIMD16<Float>()
                                    for j in start..<end {
                                        sum += UnsafeRawPointer(source + Int(indexPointer[j]) * d + c).loadUnaligned(as: SIMD16<Float>.self)
                                    }
                                    UnsafeMutableRawPointer(out + c).storeBytes(of: sum * inverse, as: SIMD16<Float>.self)
                                    c += 16
                                }
                                while c < d {
                                    var sum: Float = 0
                                    for j in start..<end { sum += source[Int(indexPointer[j]) * d + c] }
                                    out[c] = sum * inverse
                                    c += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the gradient with respect to `table` into `tableGradient` (same shape as the table).
    /// Large inputs split the segments between two workers; the second accumulates into a private
    /// buffer that is added at the end, since segments may share table rows.
    public static func backward(outputGradient: Matrix, indices: [Int32], offsets: [Int], into tableGradient: inout Matrix) {
        let d = outputGradient.columns
        precondition(tableGradient.columns == d, "NeighbourMean: gradient width mismatch")
        let segmentCount = offsets.count - 1
        guard segmentCount > 0 else { return }
        @Sendable func scatter(_ segments: Range<Int>, into target: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>) {
            for s in segments {
                let start = offsets[s], end = offsets[s + 1]
                if end <= start { continue }
                let inverse = 1 / Float(end - start)
                let from = source + s * d
                for j in start..<end {
                    let to = target + Int(indices[j]) * d
                    for c in 0..<d { to[c] += from[c] * inverse }
                }
            }
        }
        let parallel = indices.count * d >= 1 << 20 && tableGradient.count <= 8 * indices.count * d
        var privateGradient = Matrix(rows: parallel ? tableGradient.rows : 0, columns: d)
        outputGradient.values.withUnsafeBufferPointer { sourceBuffer in
            tableGradient.values.withUnsafeMutableBufferPointer { targetBuffer in
                guard parallel else {
                    scatter(0..<segmentCount, into: targetBuffer.baseAddress!, from: sourceBuffer.baseAddress!)
                    return
                }
                privateGradient.values.withUnsafeMutableBufferPointer { privateBuffer in
                    let source = SharedPointer(sourceBuffer.baseAddress!)
                    let targets = [SharedPointer(targetBuffer.baseAddress!), SharedPointer(privateBuffer.baseAddress!)]
                    let middle = segmentCount / 2
                    DispatchQueue.concurrentPerform(iterations: 2) { worker in
                        scatter(worker == 0 ? 0..<middle : middle..<segmentCount, into: targets[worker].base,
                                from: UnsafePointer(source.base))
                    }
                }
            }
        }
        if parallel { tableGradient.add(privateGradient) }
    }
}
