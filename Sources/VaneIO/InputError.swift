import VaneErrors

/// An input file could not be read or parsed: says which file, which line and why
/// (`VaneError.location`; printed `file:line: message`).
public typealias InputError = VaneError<InputErrorCode>

/// The codes of `InputError`.
public enum InputErrorCode: String, VaneErrorCode {
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

extension VaneError where Code == InputErrorCode {
    /// An input error in `file`, at 1-based `line` when the problem is on one.
    public init(_ code: Code, file: String, line: Int? = nil, _ message: String) {
        self.init(code, message, location: SourceLocation(file: file, line: line))
    }

    /// The file at fault.
    public var file: String { location?.file ?? "" }
    /// The 1-based line at fault, when the problem is on one.
    public var line: Int? { location?.line }
}
