import VaneIO

/// Attributes of nodes (titles, groups) from a TSV/CSV file: the node id first, then attributes.
///
/// A first line starting with `#` names the columns (`# id<TAB>group<TAB>title`; a trailing
/// "  (comment)" after the last name is ignored); without one the columns are named `attribute1`,
/// `attribute2`, .... Later `#` lines and blank lines are skipped. Ids not in the file simply have
/// no attributes. O(lines).
public struct NodeAttributeTable: Sendable {
    /// Attribute column names (the id column excluded).
    public let columns: [String]
    private let rows: [String: [String]]

    public var count: Int { rows.count }

    /// Loads `path`; errors name the file and line (a repeated id, a line without attributes).
    public init(path: String) throws {
        try self.init(TextFileStream(path: path))
    }

    public init(_ file: some TextLineSource) throws {
        var columns: [String]?
        var rows: [String: [String]] = [:]
        var delimiter: FieldDelimiter?
        var first = true
        try file.forEachLine { (lineNumber, line) throws(InputError) in
            defer { first = false }
            if line.hasPrefix("#") {
                if first {
                    var header = String(line.dropFirst())
                    if let comment = header.range(of: "  (") { header = String(header[..<comment.lowerBound]) }
                    let separator = FieldDelimiter.infer(path: file.path, sampleLine: Substring(header))
                    delimiter = separator
                    columns = separator.split(Substring(header)).dropFirst().map { String($0.trimmingSpaces()) }
                }
                return
            }
            if line.allSatisfy({ $0 == " " }) { return }
            let separator = delimiter ?? FieldDelimiter.infer(path: file.path, sampleLine: line)
            delimiter = separator
            let fields = separator.split(line).map { String($0.trimmingSpaces()) }
            guard fields.count >= 2, !fields[0].isEmpty else {
                throw InputError(.malformedLine, file: file.path, line: lineNumber, "expected a node id and at least one attribute")
            }
            guard rows[fields[0]] == nil else {
                throw InputError(.malformedLine, file: file.path, line: lineNumber, "node \"\(fields[0])\" is listed twice")
            }
            rows[fields[0]] = Array(fields.dropFirst())
        }
        let width = rows.values.map(\.count).max() ?? 0
        self.columns = columns ?? (0..<width).map { "attribute\($0 + 1)" }
        self.rows = rows
    }

    /// Every attribute of `node` by column name; empty when the node is not in the file.
    public func attributes(of node: String) -> [String: String] {
        guard let values = rows[node] else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in zip(columns, values) where !value.isEmpty { result[name] = value }
        return result
    }

    /// The readable name of `node`: its `title` (or `name`) attribute, else its first attribute; nil when absent.
    public func label(of node: String) -> String? {
        guard let values = rows[node] else { return nil }
        for key in ["title", "name"] {
            if let index = columns.firstIndex(of: key), index < values.count, !values[index].isEmpty { return values[index] }
        }
        return values.first { !$0.isEmpty }
    }
}
