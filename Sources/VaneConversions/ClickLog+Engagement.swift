import VaneIO
import VaneTabular

extension ClickLog {
    /// Most events one click may carry (a longer list is almost always a joined or repeated log).
    public static let maximumEventsPerClick = 10_000

    /// Reads the engagement columns of a Vane table: `view_times`, `cart_times`, `favourite_times`
    /// (semicolon-separated hours; a column whose every cell holds one time is read as numbers) and
    /// the older single `cart_time`. Every time must be finite, within the log's span and at or after
    /// its click; errors name the file, line and column. O(cells + events).
    static func engagementEvents(_ table: Table, clickHours: [Double], timeScale: Double, reference: Double,
                                 rule: TimestampRule) throws(InputError) -> EngagementEvents {
        var perClick = [[(time: Double, kind: EngagementEvents.Kind)]](repeating: [], count: table.rowCount)
        var sources: [(column: String, kind: EngagementEvents.Kind)] = EngagementEvents.Kind.allCases.map { ($0.column, $0) }
        sources.append(("cart_time", .cart))
        for (name, kind) in sources {
            guard let index = table.columnNames.firstIndex(of: name) else { continue }
            func add(_ value: Double, row: Int) throws(InputError) {
                let hours = value * timeScale
                try rule.check([hours], column: name, reference: reference, file: table.source) { _ in table.line(ofRow: row) }
                guard hours >= clickHours[row] else {
                    throw InputError(.invalidValue, file: table.source, line: table.line(ofRow: row),
                                     "\(name) \(value) is before click_time \(clickHours[row] / timeScale): engagement is what happens after the click")
                }
                guard perClick[row].count < maximumEventsPerClick else {
                    throw InputError(.invalidValue, file: table.source, line: table.line(ofRow: row),
                                     "more than \(maximumEventsPerClick) engagement events for one click")
                }
                perClick[row].append((hours, kind))
            }
            switch table.columns[index] {
            case .numeric(let values):
                for (row, value) in values.enumerated() where !value.isNaN { try add(value, row: row) }
            case .categorical(let codes, let levels):
                // Each distinct cell is parsed once; rows share the parsed list through their code.
                var parsed: [[Double]?] = Array(repeating: nil, count: levels.count)
                for (row, code) in codes.enumerated() where code >= 0 {
                    let c = Int(code)
                    if parsed[c] == nil {
                        var times: [Double] = []
                        for part in levels[c].split(separator: ";", omittingEmptySubsequences: false) {
                            let text = part.trimmingSpaces()
                            if text.isEmpty || text == "?" || text == "NA" { continue }
                            switch InputNumber(text) {
                            case .finite(let value): times.append(value)
                            case .nonFinite, .notANumber:
                                throw InputError(.invalidNumber, file: table.source, line: table.line(ofRow: row),
                                                 "\(name): \"\(text.prefix(40))\" is not a time in hours (write times separated by ';', e.g. 0.5;3.25)")
                            }
                        }
                        parsed[c] = times
                    }
                    for value in parsed[c]! { try add(value, row: row) }
                }
            }
        }
        return EngagementEvents(perClick: perClick)
    }
}
