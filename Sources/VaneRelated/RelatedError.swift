/// Something about a related-items request or model is wrong; the code says what, for callers and tests.
public struct RelatedError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidConfiguration = "invalid-configuration"
        case unknownItem = "unknown-item"
        case invalidRequest = "invalid-request"
        case modelFile = "model-file"
        case diverged
    }

    public let code: Code
    public let message: String
    /// The configuration field at fault (`maximumEpochs`), when one is; a command line maps it to its flag.
    public let field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
