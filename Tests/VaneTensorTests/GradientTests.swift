import Testing
import VaneTensor

/// Every op's backward against central finite differences of L = <op(x), R> for a fixed random R,
/// so dL/dx = backward(R).
@Suite("Backward passes match finite differences")
struct GradientTests {
    let tolerance: Float = 2e-3

    @Test func matrixProduct() {
        let a = randomMatrix(3, 4, seed: 1), b = randomMatrix(4, 5, seed: 2), r = randomMatrix(3, 5, seed: 3)
        let (ga, gb) = MatrixProduct.backward(outputGradient: r, a: a, b: b)
        let na = numericalGradient(of: a) { MatrixProduct.forward($0, b).dot(r) }
        let nb = numericalGradient(of: b) { MatrixProduct.forward(a, $0).dot(r) }
        #expect(maxRelativeError(ga, na) < tolerance)
        #expect(maxRelativeError(gb, nb) < tolerance)
    }

    @Test func rowGatherScatterAdd() {
        let table = randomMatrix(5, 3, seed: 4)
        let indices: [Int32] = [2, 0, 2, 4, 2]
        let r = randomMatrix(indices.count, 3, seed: 5)
        let sparse = RowGather.backward(outputGradient: r, indices: indices)
        var dense = Matrix(rows: 5, columns: 3)
        sparse.add(into: &dense)
        let numeric = numericalGradient(of: table) { RowGather.forward($0, indices: indices).dot(r) }
        #expect(maxRelativeError(dense, numeric) < tolerance)
        #expect(sparse.rowIndices == [2, 0, 4])  // duplicates summed, first-appearance order
        #expect(RowGather.denseBackward(outputGradient: r, indices: indices, rowCount: 5) == dense)
    }

    @Test func segmentMean() {
        let values = randomMatrix(6, 3, seed: 6)
        let offsets = [0, 2, 2, 6]  // includes an empty segment
        let r = randomMatrix(3, 3, seed: 7)
        let analytic = SegmentMean.backward(outputGradient: r, offsets: offsets)
        let numeric = numericalGradient(of: values) { SegmentMean.forward($0, offsets: offsets).dot(r) }
        #expect(maxRelativeError(analytic, numeric) < tolerance)
        let output = SegmentMean.forward(values, offsets: offsets)
        #expect(output.row(1) == [0, 0, 0])
    }

    @Test func neighbourMean() {
        let table = randomMatrix(5, 3, seed: 20)
        let indices: [Int32] = [1, 4, 1, 0, 2, 2]
        let offsets = [0, 3, 3, 6]
        let r = randomMatrix(3, 3, seed: 21)
        var analytic = Matrix(rows: 5, columns: 3)
        NeighbourMean.backward(outputGradient: r, indices: indices, offsets: offsets, into: &analytic)
        let numeric = numericalGradient(of: table) { NeighbourMean.forward($0, indices: indices, offsets: offsets).dot(r) }
        #expect(maxRelativeError(analytic, numeric) < tolerance)
        // Equals gather followed by segment mean.
        let unfused = SegmentMean.forward(RowGather.forward(table, indices: indices), offsets: offsets)
        #expect(maxRelativeError(NeighbourMean.forward(table, indices: indices, offsets: offsets), unfused) < 1e-6)
    }

    /// The SIMD path (16 columns at a time) and its scalar tail, on both sides of the parallel
    /// threshold, with empty segments: equal to gather followed by segment mean.
    @Test(arguments: [(20, 40), (67, 5000)])
    func neighbourMeanWideRows(columns: Int, segments: Int) {
        var generator = SeededGenerator(seed: 31)
        let table = randomMatrix(300, columns, seed: 32)
        var offsets = [0], indices: [Int32] = []
        for _ in 0..<segments {
            let size = generator.nextIndex(below: 6)  // 0 gives an empty segment
            for _ in 0..<size { indices.append(Int32(generator.nextIndex(below: 300))) }
            offsets.append(indices.count)
        }
        let fused = NeighbourMean.forward(table, indices: indices, offsets: offsets)
        let unfused = SegmentMean.forward(RowGather.forward(table, indices: indices), offsets: offsets)
        #expect(maxRelativeError(fused, unfused) < 1e-5)
    }

    @Test func relu() {
        // Keep inputs away from the kink at 0, where finite differences are undefined.
        var x = randomMatrix(4, 4, seed: 8)
        for i in 0..<x.count where abs(x.values[i]) < 0.1 { x.values[i] = 0.5 }
        let r = randomMatrix(4, 4, seed: 9)
        let y = ReLU.forward(x)
        let analytic = ReLU.backward(outputGradient: r, output: y)
        let numeric = numericalGradient(of: x, step: 1e-3) { ReLU.forward($0).dot(r) }
        #expect(maxRelativeError(analytic, numeric) < tolerance)
    }

    @Test func sigmoidAndSoftplus() {
        let x = randomMatrix(3, 4, seed: 10), r = randomMatrix(3, 4, seed: 11)
        let sigmoidAnalytic = Sigmoid.backward(outputGradient: r, output: Sigmoid.forward(x))
        let sigmoidNumeric = numericalGradient(of: x) { Sigmoid.forward($0).dot(r) }
        #expect(maxRelativeError(sigmoidAnalytic, sigmoidNumeric) < tolerance)
        let softplusAnalytic = Softplus.backward(outputGradient: r, input: x)
        let softplusNumeric = numericalGradient(of: x) { Softplus.forward($0).dot(r) }
        #expect(maxRelativeError(softplusAnalytic, softplusNumeric) < tolerance)
    }

    @Test func columnConcat() {
        let a = randomMatrix(3, 2, seed: 12), b = randomMatrix(3, 4, seed: 13), r = randomMatrix(3, 6, seed: 14)
        let (ga, gb) = ColumnConcat.backward(outputGradient: r, leftColumns: 2)
        #expect(maxRelativeError(ga, numericalGradient(of: a) { ColumnConcat.forward($0, b).dot(r) }) < tolerance)
        #expect(maxRelativeError(gb, numericalGradient(of: b) { ColumnConcat.forward(a, $0).dot(r) }) < tolerance)
    }

    @Test func rowDot() {
        let a = randomMatrix(4, 3, seed: 15), b = randomMatrix(4, 3, seed: 16)
        let weights: [Float] = [0.5, -1, 2, 0.25]
        func loss(_ x: Matrix, _ y: Matrix) -> Double {
            zip(RowDot.forward(x, y), weights).reduce(0) { $0 + Double($1.0 * $1.1) }
        }
        let (ga, gb) = RowDot.backward(outputGradient: weights, a: a, b: b)
        #expect(maxRelativeError(ga, numericalGradient(of: a) { loss($0, b) }) < tolerance)
        #expect(maxRelativeError(gb, numericalGradient(of: b) { loss(a, $0) }) < tolerance)
    }

    @Test func weightedBinaryCrossEntropy() {
        let logits = Matrix(rows: 1, columns: 5, values: [-3, -0.5, 0, 1.2, 8])
        let labels: [Float] = [0, 1, 1, 0, 1]
        let weights: [Float] = [1, 2, 0.5, 3, 1]
        let analytic = BinaryCrossEntropy.gradient(logits: logits.values, labels: labels, weights: weights)
        let numeric = numericalGradient(of: logits, step: 1e-3) {
            BinaryCrossEntropy.loss(logits: $0.values, labels: labels, weights: weights)
        }
        #expect(maxRelativeError(Matrix(rows: 1, columns: 5, values: analytic), numeric) < tolerance)
    }

    @Test func broadcastBias() {
        let x = randomMatrix(3, 4, seed: 17), r = randomMatrix(3, 4, seed: 18)
        let bias = randomMatrix(1, 4, seed: 19)
        let numeric = numericalGradient(of: bias) { b in
            var y = x
            y.addRowVector(b)
            return y.dot(r)
        }
        #expect(maxRelativeError(r.columnSums(), numeric) < tolerance)
    }
}
