import VaneIO

/// Reads a CSV (or TSV) with a header row into a `Table`, gzip accepted.
///
/// A column is numeric when every non-missing value parses as a finite number; otherwise it is
/// categorical. Missing markers (default: empty, `?`, `NA`) become NaN or their own category.
/// An explicit `NaN` or `inf` in an otherwise numeric column is rejected with its line and column,
/// since it is almost always an upstream bug rather than a missing value. O(rows x columns).
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
        var nonFiniteSeen: [Int: (line: Int, text: String)] = [:]
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
            for (column, value) in fields.enumerated() {
                raw[column].append(value)
                let lowered = value.lowercased()
                if nonFiniteSeen[column] == nil,
                   ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(lowered) {
                    nonFiniteSeen[column] = (lineNumber, value)
                }
            }
        }
        guard let names = header else { throw InputError(.emptyInput, file: file.path, "no header row") }
        guard let first = raw.first, !first.isEmpty else { throw InputError(.emptyInput, file: file.path, "header but no data rows") }
        var columns: [Table.Column] = []
        for (index, values) in raw.enumerated() {
            let parsed = values.map { missingMarkers.contains($0) ? Double.nan : Double($0) }
            let isNumeric = parsed.allSatisfy { $0 != nil } && parsed.contains { !($0!.isNaN) }
            if isNumeric {
                if let bad = nonFiniteSeen[index] {
                    throw InputError(.invalidNumber, file: file.path, line: bad.line,
                                     "column \"\(names[index])\" holds non-finite value \"\(bad.text)\"; use an empty field for a missing value")
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
        return Table(source: file.path, columnNames: names, columns: columns)
    }
}
