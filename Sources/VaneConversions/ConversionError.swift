/// Conversion data or a replay request is unusable; the code says why.
public struct ConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidInput = "invalid-input"
        case invalidConfiguration = "invalid-configuration"
        case modelFile = "model-file"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
