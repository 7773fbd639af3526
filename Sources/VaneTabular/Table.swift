import VaneIO

/// A column-oriented table read from a CSV with a header: each column is numeric or categorical.
public struct Table: Sendable {
    /// One column's values.
    public enum Column: Sendable, Equatable {
        /// Numbers; a missing value (empty, `?`, `NA`) is NaN.
        case numeric([Double])
        /// Category codes into `levels`; a missing value is its own level, the marker's text.
        case categorical(codes: [Int32], levels: [String])

        public var count: Int {
            switch self {
            case .numeric(let values): values.count
            case .categorical(let codes, _): codes.count
            }
        }

        /// A categorical column of `values`, each distinct value a level, in order of first
        /// appearance. O(values).
        public static func categorical(coding values: [String]) -> Column {
            var levels: [String] = [], codeOf: [String: Int32] = [:]
            let codes = values.map { value -> Int32 in
                if let code = codeOf[value] { return code }
                let code = Int32(levels.count)
                codeOf[value] = code
                levels.append(value)
                return code
            }
            return .categorical(codes: codes, levels: levels)
        }
    }

    /// Where the table came from, for error messages.
    public let source: String
    public let columnNames: [String]
    public let columns: [Column]
    /// The 1-based file line of each row, when the table was read from a file (errors cite it).
    public let rowLines: [Int]?
    public var rowCount: Int { columns.first?.count ?? 0 }

    public init(source: String, columnNames: [String], columns: [Column], rowLines: [Int]? = nil) {
        precondition(columnNames.count == columns.count, "Table: one name per column")
        precondition(Set(columns.map(\.count)).count <= 1, "Table: columns of different lengths")
        precondition(rowLines == nil || rowLines!.count == (columns.first?.count ?? 0), "Table: one line number per row")
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
        self.rowLines = rowLines
    }

    /// The file line of row `row` (0-based), or nil for a table built in memory.
    public func line(ofRow row: Int) -> Int? { rowLines?[row] }

    /// Index of a column by exact name; the error lists the columns that exist.
    public func columnIndex(named name: String) throws(InputError) -> Int {
        guard let index = columnNames.firstIndex(of: name) else {
            throw InputError(.missingColumn, file: source,
                             "no column \"\(name)\"; columns are: \(columnNames.joined(separator: ", "))")
        }
        return index
    }

    /// The `positive` value of `binaryLabels` meaning "any non-missing value".
    public static let anyValue = "*"

    /// A binary label: true where the column's text equals `positive` (numbers compare by value), or
    /// with `positive` = `Table.anyValue` ("*") where the column holds any value at all. Otherwise
    /// fails when the column has a value other than `positive` and one other class.
    public func binaryLabels(column name: String, positive: String) throws(InputError) -> [Bool] {
        let index = try columnIndex(named: name)
        if positive == Self.anyValue {
            // Positive where the column holds any value: e.g. a conversion time means "converted".
            switch columns[index] {
            case .numeric(let values): return values.map { !$0.isNaN }
            case .categorical(let codes, let levels): return codes.map { !levels[Int($0)].isEmpty }
            }
        }
        switch columns[index] {
        case .categorical(let codes, let levels):
            guard let positiveCode = levels.firstIndex(of: positive) else {
                throw InputError(.invalidValue, file: source,
                                 "label column \"\(name)\" has no value \"\(positive)\"; values are: \(levels.prefix(10).joined(separator: ", "))")
            }
            guard levels.count == 2 else {
                throw InputError(.invalidValue, file: source,
                                 "label column \"\(name)\" is not binary: \(levels.count) distinct values (\(levels.prefix(10).joined(separator: ", ")))")
            }
            return codes.map { Int($0) == positiveCode }
        case .numeric(let values):
            guard let positiveValue = Double(positive) else {
                throw InputError(.invalidValue, file: source, "label column \"\(name)\" is numeric but --positive \"\(positive)\" is not a number")
            }
            let distinct = Set(values.filter { !$0.isNaN })
            guard distinct.count <= 2, distinct.contains(positiveValue), !values.contains(where: \.isNaN) else {
                throw InputError(.invalidValue, file: source,
                                 "label column \"\(name)\" must hold \(positive) and one other value, no missing ones; found \(distinct.sorted().prefix(10))")
            }
            return values.map { $0 == positiveValue }
        }
    }

    /// The rows at `indices`, in that order (for splits and resampling).
    public func selectingRows(_ indices: [Int]) -> Table {
        let selected = columns.map { column -> Column in
            switch column {
            case .numeric(let values): .numeric(indices.map { values[$0] })
            case .categorical(let codes, let levels): .categorical(codes: indices.map { codes[$0] }, levels: levels)
            }
        }
        return Table(source: source, columnNames: columnNames, columns: selected, rowLines: rowLines.map { lines in indices.map { lines[$0] } })
    }
}

extension Table {
    /// The same rows with only the named columns, in the given order (unknown names are an error).
    public func keepingColumns(_ names: [String]) throws(InputError) -> Table {
        var columns: [Column] = []
        for name in names { columns.append(self.columns[try columnIndex(named: name)]) }
        return Table(source: source, columnNames: names, columns: columns, rowLines: rowLines)
    }
}
