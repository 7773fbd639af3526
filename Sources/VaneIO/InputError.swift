/// An input file could not be read or parsed: says which file, which line and why.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable code that callers and tests can match.
    public enum Code: String, Sendable {
        case fileNotFound = "file-not-found"
        case unreadable
        case emptyInput = "empty-input"
        case malformedLine = "malformed-line"
        case missingColumn = "missing-column"
        case invalidNumber = "invalid-number"
        case invalidValue = "invalid-value"
        /// Bytes that are not UTF-8 text.
        case invalidText = "invalid-text"
    }

    public let code: Code
    public let file: String
    /// 1-based line number, when the problem is on one line.
    public let line: Int?
    public let message: String

    public init(_ code: Code, file: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form compilers use so editors can jump to it.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
