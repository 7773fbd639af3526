/// A decision-policy request cannot be met; the code says why.
public struct DecisionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidInput = "invalid-input"
        case invalidConfiguration = "invalid-configuration"
        case policyFile = "policy-file"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
