import Foundation
import VaneIO
import VaneTabular
import VaneTensor

/// One row per click, columns apart: times in hours from the log's start, NaN where absent.
///
/// Vane format (CSV with header, gzip accepted): `click_time` (required), `conversion_time`
/// (empty = no conversion), optional engagement with times: `view_times`, `cart_times`,
/// `favourite_times` (semicolon-separated hours at or after the click, e.g. `3.5;27.25`; empty =
/// none) and the older single `cart_time`; every other column is a feature (numeric standardised,
/// categorical hashed). A `views` count without times is refused: nothing can say when those views
/// happened, so a replay reading it would read the future. The Criteo Conversion
/// Logs format (`data.txt`, Chapelle 2014) is read as is: tab-separated click timestamp, conversion
/// timestamp or empty, 8 integer and 9 categorical features, no header; timestamps in seconds.
public struct ClickLog: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case vane
        case criteo
    }

    public let clickTimes: [Double]
    public let conversionTimes: [Double]
    /// Post-click engagement with times; replay streams read only the events before their moment.
    public let engagement: EngagementEvents
    public let features: SparseRowMatrix
    /// How raw columns became `features` (nil for logs built from an already encoded matrix); a
    /// trained model keeps it to encode requests the same way.
    public let encoder: TableFeatureEncoder?
    public let source: String

    public var count: Int { clickTimes.count }

    public init(source: String, clickTimes: [Double], conversionTimes: [Double], engagement: EngagementEvents,
                features: SparseRowMatrix, encoder: TableFeatureEncoder? = nil) {
        precondition([conversionTimes.count, engagement.clickCount, features.rowCount].allSatisfy { $0 == clickTimes.count },
                     "ClickLog: columns of different lengths")
        self.source = source
        self.clickTimes = clickTimes
        self.conversionTimes = conversionTimes
        self.engagement = engagement
        self.features = features
        self.encoder = encoder
    }

    /// Whether click `i` converts within `window` hours of its click (its true label at that horizon).
    @inlinable public func converts(_ i: Int, within window: Double) -> Bool {
        let conversion = conversionTimes[i]
        return !conversion.isNaN && conversion - clickTimes[i] <= window
    }

    /// Reads a log; errors name the file, line and column.
    public static func load(path: String, format: Format, hashBuckets: Int = 1 << 18) throws -> ClickLog {
        try fromTable(loadTable(path: path, format: format), hashBuckets: hashBuckets, timeScale: format == .criteo ? 1.0 / 3600 : 1)
    }

    /// Reads a log as a raw table with Vane's column names, for tools that want the columns rather
    /// than encoded features (Criteo: click_time and conversion_time in seconds, int1-8, cat1-9).
    public static func loadTable(path: String, format: Format) throws -> Table {
        try loadTable(TextFileStream(path: path), format: format)
    }

    /// The same from text already read (stdin, tests, fuzzing).
    public static func loadTable(_ file: some TextLineSource, format: Format) throws(InputError) -> Table {
        switch format {
        case .vane: try CSVTableLoader().load(file)
        case .criteo: try criteoTable(file)
        }
    }

    /// Parses Criteo's `data.txt` into a table with named columns (timestamps kept in seconds).
    static func criteoTable(_ file: some TextLineSource) throws(InputError) -> Table {
        let table = try criteoTable(file) { _ in true }
        guard table.rowCount > 0 else { throw InputError(.emptyInput, file: file.path, "no clicks") }
        return table
    }

    /// The rows `keeping` accepts (its argument: the row's index among the file's clicks, from 0);
    /// other lines are not split. No rows is not an error here.
    static func criteoTable(_ file: some TextLineSource, keeping: (Int) -> Bool) throws(InputError) -> Table {
        var clickTimes: [Double] = [], conversionTimes: [Double] = []
        var integers = [[Double]](repeating: [], count: 8)
        var categories = [[String]](repeating: [], count: 9)
        var rowLines: [Int] = []
        var dataRow = 0
        try file.forEachLine { (lineNumber, line) throws(InputError) in
            if line.isEmpty { return }
            defer { dataRow += 1 }
            guard keeping(dataRow) else { return }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 19 else {
                throw InputError(.malformedLine, file: file.path, line: lineNumber,
                                 "expected 19 tab-separated fields (click ts, conversion ts, 8 integer, 9 categorical), found \(fields.count)")
            }
            func number(_ text: Substring, _ what: String) throws(InputError) -> Double {
                switch InputNumber(text) {
                case .finite(let value): return value
                case .nonFinite: throw InputError(.invalidNumber, file: file.path, line: lineNumber, "\(what) \"\(text.prefix(40))\" is not finite")
                case .notANumber: throw InputError(.invalidNumber, file: file.path, line: lineNumber, "\(what) \"\(text.prefix(40))\" is not a number")
                }
            }
            let click = try number(fields[0], "click timestamp")
            var conversion = Double.nan
            if !fields[1].isEmpty {
                conversion = try number(fields[1], "conversion timestamp")
                guard conversion >= click else {
                    throw InputError(.invalidValue, file: file.path, line: lineNumber,
                                     "conversion timestamp \(fields[1]) is before the click (\(fields[0]))")
                }
            }
            clickTimes.append(click)
            conversionTimes.append(conversion)
            rowLines.append(lineNumber)
            for k in 0..<8 {
                let text = fields[2 + k]
                integers[k].append(text.isEmpty ? .nan : try number(text, "integer feature \(k + 1)"))
            }
            for k in 0..<9 { categories[k].append(String(fields[10 + k])) }
        }
        var columns: [Table.Column] = [.numeric(clickTimes), .numeric(conversionTimes)]
        columns += integers.map { .numeric($0) }
        columns += categories.map { .categorical(coding: $0) }
        let names = ["click_time", "conversion_time"] + (1...8).map { "int\($0)" } + (1...9).map { "cat\($0)" }
        return Table(source: file.path, columnNames: names, columns: columns, rowLines: rowLines)
    }

    /// Builds a log from a table with Vane's column names; `timeScale` converts times to hours.
    public static func fromTable(_ table: Table, hashBuckets: Int = 1 << 18, timeScale: Double = 1) throws -> ClickLog {
        var local = LocalReplayContext()
        return try fromTable(table, hashBuckets: hashBuckets, timeScale: timeScale, shards: &local)
    }
}
