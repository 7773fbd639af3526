import CVaneKernels
import Dispatch
import Foundation

/// Query rows quantised for `Int8PanelMatrix.products(with:)`: 16-bit codes with one scale per query.
public struct QuantizedQueries: Sendable {
    public let count: Int
    /// Codes per query (the matrix's columns rounded up to even; the pad is 0).
    let width: Int
    let codes: [Int16]
    /// query[q] ~ scales[q] x codes[q].
    public let scales: [Float]
    /// Sum of |code| over each query.
    public let codeSums: [Int32]

    /// Symmetric per-query quantisation to at most `largestCode` (chosen so no int32 sum overflows).
    init(_ queries: Matrix, width: Int, largestCode: Int32) {
        count = queries.rows
        self.width = width
        var codes = [Int16](repeating: 0, count: queries.rows * width)
        var scales = [Float](repeating: 0, count: queries.rows)
        var sums = [Int32](repeating: 0, count: queries.rows)
        let d = queries.columns
        for q in 0..<queries.rows {
            let row = queries.values[(q * d)..<((q + 1) * d)]
            let largest = row.reduce(Float(0)) { max($0, abs($1)) }
            guard largest > 0 else { continue }
            let scale = largest / Float(largestCode)
            scales[q] = scale
            var total: Int32 = 0
            for c in 0..<d {
                let code = Int16(max(-Float(largestCode), min(Float(largestCode), (row[row.startIndex + c] / scale).rounded())))
                codes[q * width + c] = code
                total += Int32(abs(Int32(code)))
            }
            sums[q] = total
        }
        self.codes = codes
        self.scales = scales
        codeSums = sums
    }

    /// Query `q`'s codes.
    func codes(of q: Int) -> ArraySlice<Int16> { codes[(q * width)..<((q + 1) * width)] }
}

extension Int8PanelMatrix {
    /// Approximate products of `queries` (n x columns) with every row: (n x rows), entry (q, v) =
    /// (integer dot of the codes) x rowScales[v] x queryScale[q], and the quantised queries, whose
    /// `errorBound(query:row:)` bounds |approximate - exact| for every entry. One pass over the
    /// panels per call, split by panel ranges over the cores; O(n x rows x columns) integer
    /// multiply-adds (8 rows per AVX2 instruction where the CPU has it).
    public func products(with queries: Matrix) -> (products: Matrix, queries: QuantizedQueries) {
        var out = Matrix(rows: 0, columns: 0)
        let quantized = products(with: queries, into: &out, portableBody: false)
        return (out, quantized)
    }

    /// `products(with:)` written into `out`, which is replaced by a (queries x rows) matrix whose
    /// every element the kernel writes (no zero-filling first: for a batch of 64 queries of a
    /// 60,000-row matrix that alone would be 15 MB of writes). On the portable C body whatever the CPU
    /// when `portableBody` (tests compare the bodies).
    public func products(with queries: Matrix, into out: inout Matrix, portableBody: Bool = false) -> QuantizedQueries {
        precondition(queries.columns == columns, "Int8PanelMatrix: query width \(queries.columns) against \(columns) columns")
        precondition(queries.values.allSatisfy(\.isFinite), "Int8PanelMatrix: queries must be finite")
        // 2 x pairs x 127 x largestCode must stay below 2^31 for exact int32 sums.
        let largestCode = Int32(min(32767, Int(Int32.max) / max(1, 2 * pairCount * 127)))
        let quantized = QuantizedQueries(queries, width: 2 * pairCount, largestCode: largestCode)
        guard rows > 0, queries.rows > 0 else {
            out = Matrix(rows: queries.rows, columns: rows)
            return quantized
        }
        let panelRows = Int(VANE_PANEL_ROWS)
        let panelCount = (rows + panelRows - 1) / panelRows
        // Enough panels per worker that a split costs less than it saves (about 2,048 rows each).
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, panelCount / 256))
        let rowCount = Int64(rows), pairs = Int64(pairCount), queryCount = Int64(queries.rows), stride = Int64(rows)
        // The kernel writes every (query, row) entry: the panels cover all rows, the workers all panels.
        out = Matrix(rows: queries.rows, columns: rows, fillingEveryElement: { output in
            codes.withUnsafeBufferPointer { codes in
                rowScales.withUnsafeBufferPointer { scales in
                    quantized.codes.withUnsafeBufferPointer { queryCodes in
                        quantized.scales.withUnsafeBufferPointer { queryScales in
                            let panelCodes = SharedPointer(codes.baseAddress!), rowScales = SharedPointer(scales.baseAddress!)
                            let queryCodes = SharedPointer(queryCodes.baseAddress!), queryScales = SharedPointer(queryScales.baseAddress!)
                            let destination = SharedPointer(output.baseAddress!)
                            // The inputs are only read; worker w writes only the columns of its own panels.
                            DispatchQueue.concurrentPerform(iterations: workers) { w in
                                let first = panelCount * w / workers, end = panelCount * (w + 1) / workers
                                let kernel = portableBody ? vane_int8_panel_products_portable : vane_int8_panel_products
                                kernel(panelCodes.base, rowScales.base, rowCount, pairs, Int64(first), Int64(end),
                                       queryCodes.base, queryScales.base, queryCount, destination.base, stride)
                            }
                        }
                    }
                }
            }
        })
        return quantized
    }

    /// A bound on |approximate - exact| for entry (q, v) of `products(with:)`, exact meaning the real
    /// dot product of the unquantised rows. With query = a (codes qc) + dq, |dq| <= a/2 per element,
    /// and row = b (codes tc) + dt, |dt| <= b/2:
    ///   |q . t - a b (qc . tc)| <= a b (sum|qc| / 2 + sum|tc| / 2 + columns / 4),
    /// plus a b sum|qc| x 127 x 1e-4 for the float rounding of both the approximation and the exact
    /// float product it is compared with (each at most columns x 2^-24 x sum|q t|; 1e-4 covers 800
    /// columns). O(1).
    @inline(__always)
    public func errorBound(_ queries: QuantizedQueries, query q: Int, row v: Int) -> Float {
        let ab = queries.scales[q] * rowScales[v]
        let querySum = Float(queries.codeSums[q])
        return ab * (querySum * (0.5 + 0.0127) + Float(rowCodeSums[v]) * 0.5 + Float(columns) * 0.25)
    }

    /// The approximate product of entry (q, v), recomputed exactly as the kernel computes it. O(columns).
    public func approximateProduct(_ queries: QuantizedQueries, query q: Int, row v: Int) -> Float {
        (Float(codeProduct(queries.codes(of: q), row: v)) * rowScales[v]) * queries.scales[q]
    }
}
