import VaneErrors

/// An MPI call failed or ranks disagree; the code says what, the message names the call and rank.
public typealias MPIError = VaneError<MPIErrorCode>

/// The codes of `MPIError`.
public enum MPIErrorCode: String, VaneErrorCode {
    /// MPI returned an error from a call.
    case callFailed = "call-failed"
    /// A count does not fit MPI's 32-bit counts.
    case countOverflow = "count-overflow"
    /// Another rank reported a failure, so this one stops too (instead of hanging in a collective).
    case peerFailed = "peer-failed"
}
