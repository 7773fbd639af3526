/// A decision-policy request cannot be met; the code says why.
public struct DecisionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidInput = "invalid-input"
        case invalidConfiguration = "invalid-configuration"
        case policyFile = "policy-file"
    }

    public let code: Code
    public let message: String
    /// The configuration field at fault (`itemCount`), when one is; a command line maps it to its flag.
    public let field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
