import VaneIO

/// Reads a CSV (or TSV) with a header row into a `Table`, gzip accepted.
///
/// A column is numeric when every non-missing value parses as a finite number; otherwise it is
/// categorical. Missing markers (default: empty, `?`, `NA`) become NaN or their own category.
/// A non-finite number in an otherwise numeric column (`NaN`, `-nan`, `+infinity`, an overflow such
/// as `1e309`: the `InputNumber` rule) is rejected with its line and column, since it is almost
/// always an upstream bug rather than a missing value. A leading byte-order mark is ignored and
/// invalid UTF-8 refused (`TextFile`). O(rows x columns).
public struct CSVTableLoader: Sendable {
    public var missingMarkers: Set<String>
    public var delimiter: FieldDelimiter?

    public init(missingMarkers: Set<String> = ["", "?", "NA"], delimiter: FieldDelimiter? = nil) {
        self.missingMarkers = missingMarkers
        self.delimiter = delimiter
    }

    public func load(path: String) throws(InputError) -> Table {
        try load(TextFile(path: path))
    }

    public func load(_ file: TextFile) throws(InputError) -> Table {
        var header: [String]?
        var raw: [[String]] = []
        var rowLines: [Int] = []
        var separator = delimiter
        try file.forEachLine { (lineNumber, line) throws(InputError) in
            if line.allSatisfy({ $0 == " " }) { return }
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
        guard let first = raw.first, !first.isEmpty else { throw InputError(.emptyInput, file: file.path, "header but no data rows") }
        var columns: [Table.Column] = []
        for (index, values) in raw.enumerated() {
            // One parse per field; a missing marker is NaN, any other non-finite value (the
            // `InputNumber` rule: every spelling, and overflow) is refused once the column is numeric.
            var nonFiniteRow: Int?
            let parsed = values.enumerated().map { row, value -> Double? in
                if missingMarkers.contains(value) { return .nan }
                guard let number = Double(value) else { return nil }
                if !number.isFinite && nonFiniteRow == nil { nonFiniteRow = row }
                return number
            }
            let isNumeric = parsed.allSatisfy { $0 != nil } && parsed.contains { $0!.isFinite }
            if isNumeric {
                if let row = nonFiniteRow {
                    let bad = (line: rowLines[row], text: values[row])
                    throw InputError(.invalidNumber, file: file.path, line: bad.line,
                                     "column \"\(names[index])\" holds non-finite value \"\(bad.text)\" (NaN, infinity, or beyond +-1.8e308); use an empty field for a missing value")
                }
                columns.append(.numeric(parsed.map { $0! }))
            } else {
                var levels: [String] = []
                var codeOf: [String: Int32] = [:]
                let codes = values.map { value -> Int32 in
                    if let code = codeOf[value] { return code }
                    let code = Int32(levels.count)
                    codeOf[value] = code
                    levels.append(value)
                    return code
                }
                columns.append(.categorical(codes: codes, levels: levels))
            }
        }
        return Table(source: file.path, columnNames: names, columns: columns, rowLines: rowLines)
    }
}
