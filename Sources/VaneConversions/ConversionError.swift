import VaneErrors

/// Conversion data or a replay request is unusable; the code says why.
public typealias ConversionError = VaneError<ConversionErrorCode>

/// The codes of `ConversionError`.
public enum ConversionErrorCode: String, VaneErrorCode {
    case invalidInput = "invalid-input"
    case invalidConfiguration = "invalid-configuration"
    case modelFile = "model-file"
}
