/// An MPI call failed or ranks disagree; the code says what, the message names the call and rank.
public struct MPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// MPI returned an error from a call.
        case callFailed = "call-failed"
        /// A count does not fit MPI's 32-bit counts.
        case countOverflow = "count-overflow"
        /// Another rank reported a failure, so this one stops too (instead of hanging in a collective).
        case peerFailed = "peer-failed"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
