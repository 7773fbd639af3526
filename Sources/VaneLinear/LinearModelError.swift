import VaneErrors

/// A linear model cannot be trained as asked; the code says why.
public typealias LinearModelError = VaneError<LinearModelErrorCode>

/// The codes of `LinearModelError`.
public enum LinearModelErrorCode: String, VaneErrorCode {
    case invalidConfiguration = "invalid-configuration"
    case invalidInput = "invalid-input"
    /// Coefficients stopped being finite: the learning rate is too high for the data.
    case diverged
}
