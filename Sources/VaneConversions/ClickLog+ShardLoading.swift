import VaneIO
import VaneTabular

extension ClickLog {
    /// Rank `shards.rank`'s shard of the log at `path` (the clicks `shard(rank:of:)` gives it),
    /// read without building the other ranks' rows: every rank reads the file, splits only the lines
    /// of its own clicks into fields, and the ranks agree through `shards` on what needs every row:
    /// each column's type (numeric only if numeric on every rank), the earliest click (the
    /// timestamp rule's reference), whether any click converts, and the feature encoder's
    /// statistics (`TableFeatureEncoder.Statistics`, merged in rank order). One rank reads exactly
    /// what `load(path:format:)` reads. Errors name the file and line as `load` does; an error on
    /// one rank stops every rank (the others say which rank failed), so none waits in a later
    /// collective. Collective. O(bytes of the file) time and O(this shard's fields) memory per rank: the
    /// file is streamed (`TextFileStream`), never held.
    public static func loadShard<Shards: ReplayShardContext>(path: String, format: Format, hashBuckets: Int = 1 << 18,
                                                             shards: inout Shards) throws -> ClickLog {
        let rank = shards.rank, ranks = shards.ranks
        let keeping = { (row: Int) in ranks == 1 || shard(ofRow: row, ranks: ranks) == rank }
        let table: Table
        switch format {
        case .vane:
            let rows = try shards.agreeing("read \(path)") { try CSVTableLoader().loadRows(TextFileStream(path: path), keeping: keeping) }
            // Each column is numeric only where every rank's fields say so.
            let local = CSVTableLoader.ColumnEvidence.flattened(rows.evidence, rows: rows.rowCount)
            let merged = CSVTableLoader.ColumnEvidence.merged(try shards.concatenate(local), columns: rows.evidence.count)
            guard let merged, merged.parts == ranks else {
                throw ConversionError(.invalidInput, "\(path): the ranks read different headers (was the file changed while it was read?)")
            }
            guard merged.rows > 0 else { throw InputError(.emptyInput, file: path, "header but no data rows") }
            table = try shards.agreeing("read \(path)") { try rows.table(numeric: merged.evidence.map(\.isNumeric)) }
        case .criteo:
            table = try shards.agreeing("read \(path)") { try criteoTable(TextFileStream(path: path), keeping: keeping) }
            var total = [Double(table.rowCount)]
            try shards.sum(&total)
            guard total[0] > 0 else { throw InputError(.emptyInput, file: path, "no clicks") }
        }
        let log = try fromTable(table, hashBuckets: hashBuckets, timeScale: format == .criteo ? 1.0 / 3600 : 1, shards: &shards)
        guard ranks > 1 else { return log }
        return ClickLog(source: shardSource(log.source, rank: rank, of: ranks), clickTimes: log.clickTimes, conversionTimes: log.conversionTimes,
                        engagement: log.engagement, features: log.features, encoder: log.encoder)
    }

    /// `fromTable` for one rank's shard of a table: the checks that need every row (the earliest
    /// click, some conversion) and the encoder's statistics are agreed through `shards`. Collective.
    static func fromTable<Shards: ReplayShardContext>(_ table: Table, hashBuckets: Int, timeScale: Double,
                                                      shards: inout Shards) throws -> ClickLog {
        let line = { (row: Int) in table.line(ofRow: row) }
        let (clickHours, conversionHours) = try shards.agreeing("read \(table.source)") { () throws -> ([Double], [Double]) in
            func numeric(_ name: String, required: Bool) throws -> [Double]? {
                guard let index = table.columnNames.firstIndex(of: name) else {
                    if required { _ = try table.columnIndex(named: name) }
                    return nil
                }
                switch table.columns[index] {
                case .numeric(let values): return values
                case .categorical(_, let levels):
                    throw InputError(.invalidNumber, file: table.source, "column \"\(name)\" must be numeric (hours); found values like \"\(levels.first ?? "")\"")
                }
            }
            let clicks = try numeric("click_time", required: true)!
            if let bad = clicks.firstIndex(where: { $0.isNaN }) {
                throw InputError(.invalidNumber, file: table.source, line: line(bad), "click_time is missing")
            }
            let conversions = try numeric("conversion_time", required: false) ?? Array(repeating: .nan, count: clicks.count)
            if let bad = conversions.indices.first(where: { conversions[$0] < clicks[$0] }) {
                throw InputError(.invalidValue, file: table.source, line: line(bad), "conversion_time \(conversions[bad]) is before click_time \(clicks[bad])")
            }
            if table.columnNames.contains("views") {
                throw InputError(.invalidValue, file: table.source,
                                 "column \"views\" is a count without times: a replay cannot tell which views had happened by a training moment, so reading it would read the future. Write view_times (semicolon-separated hours, e.g. 0.5;3.25), or rename the column to use it as an ordinary feature known at click time")
            }
            return (clicks.map { $0 * timeScale }, conversions.map { $0 * timeScale })
        }
        // Times: finite, bounded, and a bounded span from the job's earliest click (replay work grows
        // with the span, not the rows).
        var earliest = [clickHours.min() ?? .infinity]
        try shards.minimum(&earliest)
        let reference = earliest[0].isFinite ? earliest[0] : 0
        let rule = TimestampRule()
        let engagement = try shards.agreeing("read \(table.source)") { () throws -> EngagementEvents in
            try rule.check(clickHours, column: "click_time", reference: reference, file: table.source, line: line)
            try rule.check(conversionHours, column: "conversion_time", reference: reference, file: table.source, line: line)
            return try engagementEvents(table, clickHours: clickHours, timeScale: timeScale, reference: reference, rule: rule)
        }
        var converting = [conversionHours.contains { !$0.isNaN } ? 1.0 : 0]
        try shards.sum(&converting)
        guard converting[0] > 0 else {
            throw InputError(.emptyInput, file: table.source, "no click has a conversion_time: there is nothing to learn and AUC is undefined")
        }
        // The encoder every rank fits: its statistics over all ranks' rows, merged in rank order.
        let reserved: Set<String> = Set(["click_time", "conversion_time", "cart_time", "click_id"] + EngagementEvents.Kind.allCases.map(\.column))
        let rows = Array(0..<table.rowCount)
        let statistics = TableFeatureEncoder.Statistics(table: table, excluding: reserved, rows: rows)
        let all = try shards.concatenate(statistics.flattened)
        guard let parts = statistics.parts(from: all), parts.count == shards.ranks else {
            throw ConversionError(.invalidInput, "\(table.source): the ranks read different columns (was the file changed while it was read?)")
        }
        let encoder = TableFeatureEncoder(statistics: .merged(parts), hashBuckets: hashBuckets)
        let features = try shards.agreeing("encode \(table.source)") { try encoder.encode(table, rows: rows) }
        return ClickLog(source: table.source, clickTimes: clickHours, conversionTimes: conversionHours,
                        engagement: engagement, features: features, encoder: encoder)
    }
}

extension ReplayShardContext {
    /// `body`'s value on every rank, or an error on every rank when it failed on any: the failing
    /// ranks throw their own, the others one naming the highest failing rank and what it could not
    /// do (`what`). So no rank waits alone in a later collective. Collective: one maximum.
    mutating func agreeing<T>(_ what: String, _ body: () throws -> T) throws -> T {
        let result: Result<T, any Error>
        do { result = .success(try body()) } catch { result = .failure(error) }
        var failedRank = [Double]()
        if case .failure = result { failedRank = [Double(rank + 1)] } else { failedRank = [0] }
        try maximum(&failedRank)
        if case .failure(let error) = result { throw error }
        guard failedRank[0] == 0 else {
            throw ConversionError(.invalidInput, "rank \(Int(failedRank[0]) - 1) could not \(what) (its error says why); rank \(rank) stops too")
        }
        return try result.get()
    }
}
