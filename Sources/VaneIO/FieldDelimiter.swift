/// How fields are separated on a line of a delimited text file.
public enum FieldDelimiter: Sendable, Equatable {
    case tab
    case comma
    /// Runs of spaces or tabs (whitespace-separated edge lists).
    case whitespace

    /// The delimiter a file's name implies (`.tsv` tab, `.csv` comma, before an optional `.gz`), else
    /// the one the first data line uses.
    public static func infer(path: String, sampleLine: Substring?) -> FieldDelimiter {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".tsv") { return .tab }
        if name.hasSuffix(".csv") { return .comma }
        guard let sampleLine else { return .tab }
        if sampleLine.contains("\t") { return .tab }
        if sampleLine.contains(",") { return .comma }
        return .whitespace
    }

    /// Splits one line into fields. Tab and comma keep empty fields; whitespace drops them.
    /// Comma fields may be double-quoted (RFC 4180; `""` is a literal quote).
    public func split(_ line: Substring) -> [Substring] {
        switch self {
        case .tab: return line.split(separator: "\t", omittingEmptySubsequences: false)
        case .whitespace: return line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        case .comma:
            guard line.contains("\"") else { return line.split(separator: ",", omittingEmptySubsequences: false) }
            return Self.splitQuoted(line)
        }
    }

    private static func splitQuoted(_ line: Substring) -> [Substring] {
        var fields: [Substring] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(Substring(current))
                current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        fields.append(Substring(current))
        return fields
    }
}
