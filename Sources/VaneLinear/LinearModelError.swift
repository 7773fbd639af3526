/// A linear model cannot be trained as asked; the code says why (the shape every Vane module's error has).
public struct LinearModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidConfiguration = "invalid-configuration"
        case invalidInput = "invalid-input"
        /// Coefficients stopped being finite: the learning rate is too high for the data.
        case diverged
    }

    public let code: Code
    public let message: String
    /// The configuration field at fault (`learningRate`), when one is.
    public let field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
