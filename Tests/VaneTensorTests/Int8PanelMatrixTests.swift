import Testing
@testable import VaneTensor

/// 8-bit panel matrices: quantisation by hand, the kernel's products against integer arithmetic,
/// both kernel bodies alike, and the error bound holding on every entry.
@Suite("Int8 panel matrix")
struct Int8PanelMatrixTests {
    @Test func quantisesEachRowByItsLargestMagnitude() {
        let matrix = Matrix([[1.27, -0.6, 0], [0, 0, 0], [-2, 1.1, 0.5]])
        let codes = Int8PanelMatrix(matrix)
        #expect(abs(codes.rowScales[0] - 0.01) < 1e-7)
        #expect(codes.rowScales[1] == 0)
        #expect(abs(codes.rowScales[2] - 2 / 127) < 1e-7)
        // Row 0: codes 127, -60, 0; row 2: -127, 70 (69.85), 32 (31.75).
        #expect(codes.rowCodeSums == [187, 0, 229])
        let row0 = codes.dequantizedRow(0), row2 = codes.dequantizedRow(2)
        #expect(abs(row0[0] - 1.27) < 1e-6 && abs(row0[1] + 0.6) < 1e-6 && row0[2] == 0)
        #expect(abs(row2[0] + 2) < 1e-6 && abs(row2[1] - 70 * 2 / 127) < 1e-6 && abs(row2[2] - 32 * 2 / 127) < 1e-6)
        #expect(codes.dequantizedRow(1) == [0, 0, 0])
    }

    /// Shapes that exercise the partial last panel, an odd column count and 1...7 queries (the
    /// kernel's four-query blocks and its remainder).
    @Test(arguments: [(rows: 3, columns: 1, queries: 1), (rows: 8, columns: 2, queries: 4), (rows: 29, columns: 7, queries: 6),
                      (rows: 300, columns: 134, queries: 7), (rows: 2_100, columns: 5, queries: 3)])
    func productsAreTheScaledIntegerDotProducts(shape: (rows: Int, columns: Int, queries: Int)) {
        var generator = SeededGenerator(seed: UInt64(shape.rows * 31 + shape.columns))
        let matrix = Matrix.normal(rows: shape.rows, columns: shape.columns, standardDeviation: 1, using: &generator)
        let queries = Matrix.normal(rows: shape.queries, columns: shape.columns, standardDeviation: 2, using: &generator)
        let codes = Int8PanelMatrix(matrix)
        let (fast, quantized) = codes.products(with: queries)
        var portable = Matrix(rows: 0, columns: 0)
        _ = codes.products(with: queries, into: &portable, portableBody: true)
        #expect(fast == portable, "the AVX2 and portable bodies sum the same integers")
        for q in 0..<shape.queries {
            for v in 0..<shape.rows {
                let approximate = fast.values[q * shape.rows + v]
                #expect(approximate == codes.approximateProduct(quantized, query: q, row: v))
                var exact: Float = 0
                for c in 0..<shape.columns { exact += queries.values[q * shape.columns + c] * matrix.values[v * shape.columns + c] }
                #expect(abs(approximate - exact) <= codes.errorBound(quantized, query: q, row: v), "entry (\(q), \(v))")
            }
        }
    }

    @Test func boundIsNotVacuousOnTypicalEmbeddings() {
        var generator = SeededGenerator(seed: 3)
        let matrix = Matrix.normal(rows: 1_000, columns: 64, standardDeviation: 1, using: &generator)
        let queries = Matrix.normal(rows: 4, columns: 64, standardDeviation: 1, using: &generator)
        let codes = Int8PanelMatrix(matrix)
        let (_, quantized) = codes.products(with: queries)
        // The score spread is ~sqrt(64) = 8; the worst-case bound is a small fraction of it.
        let bounds = (0..<1_000).map { codes.errorBound(quantized, query: 0, row: $0) }
        #expect(bounds.max()! < 1.5, "largest bound \(bounds.max()!)")
    }

    @Test func zeroQueriesAndRowsGiveZeroProducts() {
        let codes = Int8PanelMatrix(Matrix(rows: 10, columns: 4))
        let (products, quantized) = codes.products(with: Matrix([[1, 2, 3, 4], [0, 0, 0, 0]]))
        #expect(products.values.allSatisfy { $0 == 0 })
        #expect(codes.errorBound(quantized, query: 1, row: 3) == 0)
    }
}
