extension TableFeatureEncoder {
    /// What fitting an encoder reads from its rows, in a form that merges over shards of them: per
    /// candidate column (every column not excluded, in table order), a numeric column's count of
    /// present values, mean and sum of squared deviations, or a categorical column's levels (none,
    /// one, or more than one). A job whose ranks each hold some rows fits the encoder all of them
    /// would fit: each rank summarises its rows, the summaries travel as `flattened` numbers, and
    /// `merged` combines them in rank order (Chan, Golub and LeVeque's pairwise update for the mean
    /// and squared deviations). One part merged is itself, so one rank fits exactly what one process
    /// fits. O(rows x columns) to summarise, O(parts x columns) to merge.
    public struct Statistics: Sendable, Equatable {
        /// One candidate column's summary.
        public enum Column: Sendable, Equatable {
            /// `count` present (non-NaN) values, their `mean` and `squaredDeviations` (sum of
            /// (x - mean)^2).
            case numeric(count: Double, mean: Double, squaredDeviations: Double)
            case categorical(Levels)
        }

        /// The distinct levels of a categorical column seen so far; a level is known by the FNV-1a
        /// hash of its text (64 bits: a collision between a column's two levels has probability 2^-64).
        public enum Levels: Sendable, Equatable {
            case none
            case one(UInt64)
            case many
        }

        /// Candidate columns, in table order.
        public let columnNames: [String]
        public let columns: [Column]
        /// Rows summarised.
        public let rows: Int

        /// Summarises `rows` of `table`, every column but `excluding`.
        public init(table: Table, excluding: Set<String>, rows: [Int]) {
            var names: [String] = [], columns: [Column] = []
            for (index, name) in table.columnNames.enumerated() where !excluding.contains(name) {
                names.append(name)
                switch table.columns[index] {
                case .numeric(let values):
                    // Two passes, as a single fit has always computed them.
                    let present = rows.map { values[$0] }.filter { !$0.isNaN }
                    let mean = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
                    let squared = present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                    columns.append(.numeric(count: Double(present.count), mean: mean, squaredDeviations: squared))
                case .categorical(let codes, let levels):
                    var seen: Levels = .none
                    if let first = rows.first {
                        let code = codes[first]
                        seen = rows.contains { codes[$0] != code } ? .many : .one(Self.fingerprint(levels[Int(code)]))
                    }
                    columns.append(.categorical(seen))
                }
            }
            self.init(columnNames: names, columns: columns, rows: rows.count)
        }

        init(columnNames: [String], columns: [Column], rows: Int) {
            self.columnNames = columnNames
            self.columns = columns
            self.rows = rows
        }

        /// FNV-1a of a level's text.
        static func fingerprint(_ level: String) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in level.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }

        /// Numbers per column in `flattened`.
        static let valuesPerColumn = 4

        /// The summary as numbers, to send between ranks: the row count, then four per column
        /// (numeric: 0, count, mean, squared deviations; categorical: 1, 0 none / 1 one / 2 many, the
        /// hash's high and low 32 bits, each exact in a Double).
        public var flattened: [Double] {
            var values = [Double(rows)]
            for column in columns {
                switch column {
                case .numeric(let count, let mean, let squared): values += [0, count, mean, squared]
                case .categorical(.none): values += [1, 0, 0, 0]
                case .categorical(.one(let hash)): values += [1, 1, Double(hash >> 32), Double(hash & 0xFFFF_FFFF)]
                case .categorical(.many): values += [1, 2, 0, 0]
                }
            }
            return values
        }

        /// The summaries another rank's `flattened` (or several ranks' concatenated) describe, for
        /// the same candidate columns as this one; nil when the numbers do not fit that shape.
        public func parts(from values: [Double]) -> [Statistics]? {
            let width = 1 + Self.valuesPerColumn * columns.count
            guard !values.isEmpty, values.count % width == 0 else { return nil }
            var parts: [Statistics] = []
            for start in stride(from: 0, to: values.count, by: width) {
                var decoded: [Column] = []
                for k in columns.indices {
                    let v = Array(values[(start + 1 + Self.valuesPerColumn * k)..<(start + 1 + Self.valuesPerColumn * (k + 1))])
                    switch (v[0], v[1]) {
                    case (0, _): decoded.append(.numeric(count: v[1], mean: v[2], squaredDeviations: v[3]))
                    case (1, 0): decoded.append(.categorical(.none))
                    case (1, 1): decoded.append(.categorical(.one(UInt64(v[2]) << 32 | UInt64(v[3]))))
                    case (1, 2): decoded.append(.categorical(.many))
                    default: return nil
                    }
                    guard decoded.last!.isNumeric == columns[k].isNumeric else { return nil }
                }
                parts.append(Statistics(columnNames: columnNames, columns: decoded, rows: Int(values[start])))
            }
            return parts
        }

        /// The summary of all the parts' rows together, merged in order. The parts must describe
        /// the same columns (one table's shards).
        public static func merged(_ parts: [Statistics]) -> Statistics {
            guard var total = parts.first else { return Statistics(columnNames: [], columns: [], rows: 0) }
            for part in parts.dropFirst() {
                precondition(part.columnNames == total.columnNames, "Statistics.merged: parts of different tables")
                let columns = zip(total.columns, part.columns).map { a, b -> Column in
                    switch (a, b) {
                    case (.numeric(let na, let ma, let sa), .numeric(let nb, let mb, let sb)):
                        guard na > 0 else { return b }
                        guard nb > 0 else { return a }
                        let n = na + nb, delta = mb - ma
                        return .numeric(count: n, mean: ma + delta * nb / n, squaredDeviations: sa + sb + delta * delta * na * nb / n)
                    case (.categorical(let la), .categorical(let lb)):
                        switch (la, lb) {
                        case (.none, _): return b
                        case (_, .none): return a
                        case (.one(let x), .one(let y)) where x == y: return a
                        default: return .categorical(.many)
                        }
                    default:
                        preconditionFailure("Statistics.merged: column kinds differ between parts")
                    }
                }
                total = Statistics(columnNames: total.columnNames, columns: columns, rows: total.rows + part.rows)
            }
            return total
        }
    }

    /// The encoder fitted on the rows `statistics` summarises: the columns that vary on them (a
    /// numeric column with a present value, a categorical column with two levels; every column
    /// when there are no rows), numeric ones standardised by their mean and deviation.
    public init(statistics: Statistics, hashBuckets: Int = 1 << 14) {
        var varying: [String] = [], constant: [String] = [], scales: [String: NumericScale] = [:]
        for (name, column) in zip(statistics.columnNames, statistics.columns) {
            let varies: Bool
            switch column {
            case .numeric(let count, let mean, let squared):
                varies = statistics.rows == 0 || count > 0
                if varies {
                    let variance = count > 0 ? squared / count : 0
                    scales[name] = NumericScale(mean: count > 0 ? mean : 0, deviation: variance > 0 ? variance.squareRoot() : 1)
                }
            case .categorical(let levels):
                varies = statistics.rows == 0 || levels == .many
            }
            if varies { varying.append(name) } else { constant.append(name) }
        }
        self.init(featureColumns: varying, constantColumns: constant, hashBuckets: hashBuckets, numericStatistics: scales)
    }
}

extension TableFeatureEncoder.Statistics.Column {
    var isNumeric: Bool { if case .numeric = self { true } else { false } }
}
