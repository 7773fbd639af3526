import VaneIO

/// One feature value of a single record, as a request carries it.
public enum FeatureValue: Sendable, Equatable {
    case number(Double)
    case text(String)
    /// Absent: a numeric column's missing indicator, a categorical column's empty level.
    case missing
}

extension TableFeatureEncoder {
    /// The columns standardised as numbers; every other feature column is hashed as a category.
    public var numericFeatureColumns: [String] { numericColumns }

    /// Encodes one record the way `encode(_:rows:)` encodes a table row, for serving. Every key must be
    /// a feature column (so a typo is an error, not a silently missing feature); absent columns count
    /// as missing; numeric columns need finite numbers. `source` names the record in errors.
    /// O(columns).
    public func encode(record: [String: FeatureValue], source: String) throws(InputError) -> (columns: [Int32], values: [Float]) {
        let known = Set(featureColumns + constantColumns)
        if let unknown = record.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError(.missingColumn, file: source,
                             "unknown feature \"\(unknown)\"; the model's features are: \(featureColumns.joined(separator: ", "))")
        }
        var columns: [Int32] = [], values: [Float] = []
        let numeric = numericColumns
        for (k, name) in numeric.enumerated() {
            let scale = numericStatistics[name]!
            switch record[name] ?? .missing {
            case .missing:
                columns.append(Int32(2 * k + 1)); values.append(1)
            case .number(let value):
                guard value.isFinite else { throw InputError(.invalidNumber, file: source, "feature \"\(name)\" must be a finite number, got \(value)") }
                columns.append(Int32(2 * k)); values.append(try standardised(value, name: name, scale: scale, source: source))
            case .text(let text):
                guard let value = Double(text), value.isFinite else {
                    throw InputError(.invalidNumber, file: source, "feature \"\(name)\" is numeric; \"\(text)\" is not a finite number")
                }
                columns.append(Int32(2 * k)); values.append(try standardised(value, name: name, scale: scale, source: source))
            }
        }
        let base = Int32(2 * numeric.count)
        for name in featureColumns where numericStatistics[name] == nil {
            let level: String
            switch record[name] ?? .missing {
            case .missing: level = ""
            case .text(let text): level = text
            // A CSV level "3" was read as text "3": print whole numbers without a fraction to match.
            case .number(let value): level = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            }
            columns.append(base + Self.bucket(column: name, value: level, buckets: hashBuckets)); values.append(1)
        }
        return (columns, values)
    }

    /// (value - mean) / deviation as a Float; a value whose standardised form overflows Float (beyond
    /// about 3.4e38 deviations) is refused with the feature's name.
    private func standardised(_ value: Double, name: String, scale: NumericScale, source: String) throws(InputError) -> Float {
        let z = Float((value - scale.mean) / scale.deviation)
        guard z.isFinite else {
            throw InputError(.invalidNumber, file: source, "feature \"\(name)\" = \(value) is too far from the training values (mean \(scale.mean)) to score")
        }
        return z
    }
}
