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

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
