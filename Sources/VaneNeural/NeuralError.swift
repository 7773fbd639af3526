import VaneErrors

/// Errors of the neural models: bad configuration or training input, or training that diverged.
public typealias NeuralError = VaneError<NeuralErrorCode>

/// The codes of `NeuralError` (kebab-case like every module's).
public enum NeuralErrorCode: String, VaneErrorCode {
    case invalidConfiguration = "invalid-configuration"
    case invalidInput = "invalid-input"
    case diverged
}
