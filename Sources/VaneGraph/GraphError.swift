import VaneErrors

/// A graph is unusable for the requested work (as opposed to a file that cannot be parsed, which is
/// an `InputError` from VaneIO).
public typealias GraphError = VaneError<GraphErrorCode>

/// The codes of `GraphError`.
public enum GraphErrorCode: String, VaneErrorCode {
    case emptyGraph = "empty-graph"
    case unknownNode = "unknown-node"
    case invalidConfiguration = "invalid-configuration"
    case tooFewEdges = "too-few-edges"
}
