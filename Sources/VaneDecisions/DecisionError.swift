import VaneErrors

/// A decision-policy request cannot be met; the code says why, and `field` names the configuration
/// field at fault (`itemCount`) when one is, so a command line maps it to its flag.
public typealias DecisionError = VaneError<DecisionErrorCode>

/// The codes of `DecisionError`.
public enum DecisionErrorCode: String, VaneErrorCode {
    case invalidInput = "invalid-input"
    case invalidConfiguration = "invalid-configuration"
    case policyFile = "policy-file"
}
