/// The codes of one module's errors: a closed set of stable kebab-case strings that callers, tests
/// and JSON bodies match on (`"unknown-item"`).
public protocol VaneErrorCode: RawRepresentable, Sendable, Hashable where RawValue == String {}

/// The one error shape of every Vane module: a stable code, a message written for the person who
/// made the mistake, the configuration field at fault when there is one (a command line maps it to
/// the flag the user typed) and where in an input file the problem is when it is in one.
///
/// Each module names its own instance (`GraphError = VaneError<GraphErrorCode>`), so a `throws(GraphError)`
/// says which codes can come out, while all of them print, compare and carry context the same way.
public struct VaneError<Code: VaneErrorCode>: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Code
    public let message: String
    /// The configuration field at fault (`maximumEpochs`), when one is.
    public let field: String?
    /// The file, line and column at fault, when the problem is in an input file.
    public let location: SourceLocation?

    public init(_ code: Code, _ message: String, field: String? = nil, location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.location = location
    }

    /// `file:line: message` when there is a location (the form compilers use, so editors can jump to
    /// it), else the message.
    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }
}
