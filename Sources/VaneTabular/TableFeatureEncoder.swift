import Foundation
import VaneTensor

/// Turns table columns into sparse model features: numeric columns standardised (missing -> 0 plus
/// a missing indicator), categorical columns hashed into `hashBuckets` one-hot slots per value
/// (the hashing trick, Weinberger et al. 2009), so high-cardinality IDs need no vocabulary.
///
/// Fit on training rows (means, deviations), then encode any rows. Columns: numeric ones first (two
/// slots each: value, missing), then the hash space.
public struct TableFeatureEncoder: Sendable, Codable, Equatable {
    /// How a numeric column is standardised: (value - mean) / deviation.
    struct NumericScale: Sendable, Codable, Equatable {
        var mean: Double
        var deviation: Double
    }

    public let featureColumns: [String]
    /// Columns left out because they were constant on the fitting rows; a record may still name them
    /// (they are ignored), so clients that send every field of the log keep working.
    public let constantColumns: [String]
    public let hashBuckets: Int
    let numericStatistics: [String: NumericScale]

    /// Uses every column except `excluding` (e.g. the label) and those constant on `rows` (a numeric
    /// column missing on every row, a categorical column with one value): such a column carries no
    /// information, and under a per-coordinate optimiser (Adam) each one acts as one more intercept,
    /// moving the model's overall level that many times faster (a Criteo log with its empty fields
    /// has eleven). Statistics from `rows` of `table`.
    public init(table: Table, excluding: Set<String>, rows: [Int], hashBuckets: Int = 1 << 14) {
        self.init(statistics: Statistics(table: table, excluding: excluding, rows: rows), hashBuckets: hashBuckets)
    }

    init(featureColumns: [String], constantColumns: [String], hashBuckets: Int, numericStatistics: [String: NumericScale]) {
        self.featureColumns = featureColumns
        self.constantColumns = constantColumns
        self.hashBuckets = hashBuckets
        self.numericStatistics = numericStatistics
    }

    enum CodingKeys: String, CodingKey { case featureColumns, constantColumns, hashBuckets, numericStatistics }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        featureColumns = try container.decode([String].self, forKey: .featureColumns)
        constantColumns = try container.decodeIfPresent([String].self, forKey: .constantColumns) ?? []  // files before they were left out
        hashBuckets = try container.decode(Int.self, forKey: .hashBuckets)
        numericStatistics = try container.decode([String: NumericScale].self, forKey: .numericStatistics)
    }

    /// Numeric columns, in feature order.
    var numericColumns: [String] { featureColumns.filter { numericStatistics[$0] != nil } }

    public var columnCount: Int { 2 * numericColumns.count + hashBuckets }

    /// FNV-1a over "column=value": stable across runs and platforms (Swift's Hasher is seeded per process).
    static func bucket(column: String, value: String, buckets: Int) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (column + "=" + value).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int32(hash % UInt64(buckets))
    }

    /// Encodes `rows` of `table` (which must have the fitted columns).
    public func encode(_ table: Table, rows: [Int]) throws -> SparseRowMatrix {
        let numeric = numericColumns
        let numericIndex = try numeric.map { try table.columnIndex(named: $0) }
        let categorical = featureColumns.filter { numericStatistics[$0] == nil }
        let categoricalIndex = try categorical.map { try table.columnIndex(named: $0) }
        var matrix = SparseRowMatrix(columnCount: columnCount)
        let base = 2 * numeric.count
        // Hash each (column, level) once, not once per row.
        let levelBuckets: [[Int32]] = zip(categorical, categoricalIndex).map { name, index in
            switch table.columns[index] {
            case .categorical(_, let levels): levels.map { Int32(base) + Self.bucket(column: name, value: $0, buckets: hashBuckets) }
            case .numeric: []
            }
        }
        for row in rows {
            var columns: [Int32] = [], values: [Float] = []
            for (k, index) in numericIndex.enumerated() {
                guard case .numeric(let column) = table.columns[index] else { continue }
                let statistics = numericStatistics[numeric[k]]!
                let value = column[row]
                if value.isNaN {
                    columns.append(Int32(2 * k + 1)); values.append(1)
                } else {
                    columns.append(Int32(2 * k)); values.append(Float((value - statistics.mean) / statistics.deviation))
                }
            }
            for (k, index) in categoricalIndex.enumerated() {
                guard case .categorical(let codes, _) = table.columns[index] else { continue }
                columns.append(levelBuckets[k][Int(codes[row])]); values.append(1)
            }
            matrix.appendRow(columns: columns, values: values)
        }
        return matrix
    }
}
