import VaneIO

/// Reads a CSV (or TSV) with a header row into a `Table`, gzip accepted.
///
/// A column is numeric when every non-missing value parses as a finite number; otherwise it is
/// categorical. Missing markers (default: empty, `?`, `NA`) become NaN or their own category.
/// A non-finite number in an otherwise numeric column (`NaN`, `-nan`, `+infinity`, an overflow such
/// as `1e309`: the `InputNumber` rule) is rejected with its line and column, since it is almost
/// always an upstream bug rather than a missing value. A leading byte-order mark is ignored and
/// invalid UTF-8 refused (`TextLineSource`). O(rows x columns).
public struct CSVTableLoader: Sendable {
    public var missingMarkers: Set<String>
    public var delimiter: FieldDelimiter?

    public init(missingMarkers: Set<String> = ["", "?", "NA"], delimiter: FieldDelimiter? = nil) {
        self.missingMarkers = missingMarkers
        self.delimiter = delimiter
    }

    public func load(path: String) throws(InputError) -> Table {
        try load(TextFileStream(path: path))
    }

    public func load(_ file: some TextLineSource) throws(InputError) -> Table {
        let rows = try loadRows(file) { _ in true }
        guard rows.rowCount > 0 else { throw InputError(.emptyInput, file: file.path, "header but no data rows") }
        return try rows.table(numeric: rows.evidence.map(\.isNumeric))
    }

    /// The header and the fields of the data rows `keeping` accepts (its argument: the row's index
    /// among the file's data rows, from 0), with what each column's kept values say about its type;
    /// the other rows' lines are split into nothing. Every shard of a job reads the same file
    /// with its own `keeping`, merges the ranks' `ColumnEvidence` so all agree on each column's
    /// type, and builds its table with `RowShard.table(numeric:)`. O(bytes + kept fields).
    public func loadRows(_ file: some TextLineSource, keeping: (Int) -> Bool) throws(InputError) -> RowShard {
        var header: [String]?
        var raw: [[String]] = []
        var rowLines: [Int] = []
        var separator = delimiter
        var dataRow = 0
        try file.forEachLine { (lineNumber, line) throws(InputError) in
            if line.allSatisfy({ $0 == " " }) { return }
            if header != nil {
                defer { dataRow += 1 }
                guard keeping(dataRow) else { return }
            }
            let fieldSeparator = separator ?? FieldDelimiter.infer(path: file.path, sampleLine: line)
            separator = fieldSeparator
            let fields = fieldSeparator.split(line).map { String($0.trimmingSpaces()) }
            guard let names = header else {
                let duplicates = Dictionary(grouping: fields, by: { $0 }).filter { $0.value.count > 1 }.keys
                guard duplicates.isEmpty else {
                    throw InputError(.malformedLine, file: file.path, line: lineNumber,
                                     "duplicate column name(s) in header: \(duplicates.sorted().joined(separator: ", "))")
                }
                header = fields
                raw = Array(repeating: [], count: fields.count)
                return
            }
            guard fields.count == names.count else {
                throw InputError(.malformedLine, file: file.path, line: lineNumber,
                                 "expected \(names.count) fields as in the header, found \(fields.count)")
            }
            rowLines.append(lineNumber)
            for (column, value) in fields.enumerated() { raw[column].append(value) }
        }
        guard let names = header else { throw InputError(.emptyInput, file: file.path, "no header row") }
        // One parse per field, kept for the numeric columns; a missing marker is NaN.
        var parsed: [[Double]?] = [], evidence: [ColumnEvidence] = []
        for values in raw {
            var numbers: [Double] = [], allNumbers = true, anyFinite = false
            numbers.reserveCapacity(values.count)
            for value in values {
                if missingMarkers.contains(value) { numbers.append(.nan); continue }
                guard let number = Double(value) else { allNumbers = false; break }
                if number.isFinite { anyFinite = true }
                numbers.append(number)
            }
            parsed.append(allNumbers ? numbers : nil)
            evidence.append(ColumnEvidence(allNumbers: allNumbers, anyFinite: anyFinite))
        }
        return RowShard(source: file.path, columnNames: names, values: raw, parsed: parsed, rowLines: rowLines,
                        evidence: evidence, missingMarkers: missingMarkers)
    }
}
