import VaneErrors

/// A partition cannot be made or a partition file cannot be used; the code says which.
public typealias PartitionError = VaneError<PartitionErrorCode>

/// The codes of `PartitionError`.
public enum PartitionErrorCode: String, VaneErrorCode {
    /// Parts outside 1...nodes, or a graph METIS's 32-bit counts cannot hold.
    case invalidRequest = "invalid-request"
    /// METIS reported an error.
    case metisFailed = "metis-failed"
    /// A partition file is malformed or does not describe the graph it is read with.
    case invalidFile = "invalid-file"
}
