import VaneIO

extension CSVTableLoader {
    /// What a column's values say about its type: numeric when every value is a number or a missing
    /// marker and at least one is finite. Merges over shards of the rows (`merged(with:)`), so the
    /// ranks of a job that each read some rows agree on one type per column.
    public struct ColumnEvidence: Sendable, Equatable {
        /// Every value parses as a number or is a missing marker.
        public var allNumbers: Bool
        /// Some value is a finite number.
        public var anyFinite: Bool

        public init(allNumbers: Bool, anyFinite: Bool) {
            self.allNumbers = allNumbers
            self.anyFinite = anyFinite
        }

        public var isNumeric: Bool { allNumbers && anyFinite }

        /// The evidence of both shards' values together.
        public func merged(with other: ColumnEvidence) -> ColumnEvidence {
            ColumnEvidence(allNumbers: allNumbers && other.allNumbers, anyFinite: anyFinite || other.anyFinite)
        }

        /// One shard's evidence as numbers, to send between ranks: its row count, then two 0/1 per column.
        public static func flattened(_ evidence: [ColumnEvidence], rows: Int) -> [Double] {
            [Double(rows)] + evidence.flatMap { column -> [Double] in [column.allNumbers ? 1 : 0, column.anyFinite ? 1 : 0] }
        }

        /// Several shards' `flattened` evidence (concatenated) merged, with how many parts and rows
        /// there were; nil when the numbers do not fit `columns` columns.
        public static func merged(_ values: [Double], columns: Int) -> (parts: Int, rows: Int, evidence: [ColumnEvidence])? {
            let width = 1 + 2 * columns
            guard !values.isEmpty, values.count % width == 0 else { return nil }
            var evidence = [ColumnEvidence](repeating: ColumnEvidence(allNumbers: true, anyFinite: false), count: columns), rows = 0
            for part in stride(from: 0, to: values.count, by: width) {
                rows += Int(values[part])
                for k in 0..<columns {
                    evidence[k] = evidence[k].merged(with: .init(allNumbers: values[part + 1 + 2 * k] == 1, anyFinite: values[part + 2 + 2 * k] == 1))
                }
            }
            return (values.count / width, rows, evidence)
        }
    }

    /// Some data rows of a CSV, their fields not yet typed (`CSVTableLoader.loadRows`).
    public struct RowShard: Sendable {
        public let source: String
        public let columnNames: [String]
        /// Per column, the kept rows' fields.
        let values: [[String]]
        /// Per column, the fields as numbers (NaN for a missing marker) when all of them are.
        let parsed: [[Double]?]
        /// The file line of each kept row.
        public let rowLines: [Int]
        /// Per column, what the kept fields say about its type.
        public let evidence: [ColumnEvidence]
        let missingMarkers: Set<String>

        public var rowCount: Int { rowLines.count }

        /// The kept rows as a table, each column numeric where `numeric` says (the type every shard
        /// agreed on), otherwise categorical. A numeric column holding a non-finite number (`NaN`,
        /// infinity, an overflow) is refused with its line; `numeric` must name a column numeric only
        /// where these rows' fields all parse (`evidence[k].allNumbers`).
        public func table(numeric: [Bool]) throws(InputError) -> Table {
            precondition(numeric.count == columnNames.count, "RowShard.table: one type per column")
            var columns: [Table.Column] = []
            for (index, values) in self.values.enumerated() {
                if numeric[index] {
                    guard let numbers = parsed[index] else {
                        preconditionFailure("RowShard.table: column \(columnNames[index]) named numeric, but its fields do not all parse")
                    }
                    if let row = numbers.indices.first(where: { !numbers[$0].isFinite && !missingMarkers.contains(values[$0]) }) {
                        throw InputError(.invalidNumber, file: source, line: rowLines[row],
                                         "column \"\(columnNames[index])\" holds non-finite value \"\(values[row])\" (NaN, infinity, or beyond +-1.8e308); use an empty field for a missing value")
                    }
                    columns.append(.numeric(numbers))
                } else {
                    columns.append(.categorical(coding: values))
                }
            }
            return Table(source: source, columnNames: columnNames, columns: columns, rowLines: rowLines)
        }
    }
}
