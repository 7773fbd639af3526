/// A graph is unusable for the requested work (as opposed to a file that cannot be parsed, which is
/// an `InputError` from VaneIO).
public struct GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case emptyGraph = "empty-graph"
        case unknownNode = "unknown-node"
        case invalidConfiguration = "invalid-configuration"
        case tooFewEdges = "too-few-edges"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
