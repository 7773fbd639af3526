import CVaneKernels

/// A matrix kept as 8-bit codes with one scale per row, laid out for fast products with many
/// query vectors (`products(with:)`): row v ~ rowScales[v] x codes[v], codes in -127...127,
/// rowScales[v] = max_c |row[v][c]| / 127 (symmetric per-row quantisation).
///
/// Storage: 1 byte per element plus 8 bytes per row, a quarter of the `Float` matrix; the codes sit in
/// panels of 8 rows (`VaneKernels.h`: each column pair of a panel is 16 consecutive bytes), so the
/// product kernel reads every panel once per batch of queries and sums 8 rows per instruction.
/// Immutable and `Sendable`. Building one is O(rows x columns).
public struct Int8PanelMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    /// Column pairs (columns rounded up to even, halved).
    let pairCount: Int
    /// Panels of 8 rows, `pairCount` x 16 bytes each; the last panel padded with zero codes.
    let codes: [Int8]
    /// Scale of each row, padded with zeros to whole panels.
    public let rowScales: [Float]
    /// Sum of |code| over each row's columns: the query-side term of the error bound.
    public let rowCodeSums: [Int32]

    /// The 8-bit form of `matrix`. Precondition: every value finite (model files are validated on load).
    public init(_ matrix: Matrix) {
        precondition(matrix.values.allSatisfy(\.isFinite), "Int8PanelMatrix: values must be finite")
        let rowCount = matrix.rows, columnCount = matrix.columns
        let pairs = (columnCount + 1) / 2
        let panelRows = Int(VANE_PANEL_ROWS)
        let panelCount = (rowCount + panelRows - 1) / panelRows
        var codes = [Int8](repeating: 0, count: panelCount * pairs * 16)
        var scales = [Float](repeating: 0, count: panelCount * panelRows)
        var sums = [Int32](repeating: 0, count: rowCount)
        matrix.values.withUnsafeBufferPointer { values in
            for v in 0..<rowCount {
                let row = values[(v * columnCount)..<((v + 1) * columnCount)]
                let largest = row.reduce(Float(0)) { max($0, abs($1)) }
                guard largest > 0 else { continue }
                let scale = largest / 127
                scales[v] = scale
                let panel = v / panelRows, r = v % panelRows
                var total: Int32 = 0
                for c in 0..<columnCount {
                    let code = Int8(max(-127, min(127, (row[row.startIndex + c] / scale).rounded())))
                    codes[(panel * pairs + c / 2) * 16 + 2 * r + c % 2] = code
                    total += Int32(abs(Int32(code)))
                }
                sums[v] = total
            }
        }
        rows = rowCount
        columns = columnCount
        pairCount = pairs
        self.codes = codes
        rowScales = scales
        rowCodeSums = sums
    }

    /// Row `v` as the codes stand for it (scale x code), for checks and tests. O(columns).
    public func dequantizedRow(_ v: Int) -> [Float] {
        precondition(v >= 0 && v < rows, "Int8PanelMatrix: row out of range")
        let panelRows = Int(VANE_PANEL_ROWS), panel = v / panelRows, r = v % panelRows
        return (0..<columns).map { c in rowScales[v] * Float(codes[(panel * pairCount + c / 2) * 16 + 2 * r + c % 2]) }
    }

    /// The integer code dot product of one quantised query with row `v` (what the kernel sums before
    /// scaling). O(columns).
    func codeProduct(_ query: ArraySlice<Int16>, row v: Int) -> Int32 {
        let panelRows = Int(VANE_PANEL_ROWS), panel = v / panelRows, r = v % panelRows
        var total: Int32 = 0
        for c in 0..<columns {
            total += Int32(query[query.startIndex + c]) * Int32(codes[(panel * pairCount + c / 2) * 16 + 2 * r + c % 2])
        }
        return total
    }

    /// True when this CPU runs the AVX2 body of the product kernel (else the portable C body).
    public static var usesAVX2: Bool { vane_int8_panel_products_uses_avx2() != 0 }
}
