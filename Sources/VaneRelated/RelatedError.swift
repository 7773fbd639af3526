import VaneErrors

/// Something about a related-items request or model is wrong; the code says what, for callers and
/// tests, and `field` names the configuration field at fault (`maximumEpochs`) so a command line can
/// map it to its flag.
public typealias RelatedError = VaneError<RelatedErrorCode>

/// The codes of `RelatedError`.
public enum RelatedErrorCode: String, VaneErrorCode {
    case invalidConfiguration = "invalid-configuration"
    case unknownItem = "unknown-item"
    case invalidRequest = "invalid-request"
    case modelFile = "model-file"
    case diverged
}
