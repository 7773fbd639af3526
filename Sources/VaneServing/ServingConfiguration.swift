/// Request limits of the server. Every request is checked against them before any work is done.
public struct ServingConfiguration: Sendable, Equatable {
    /// Largest `k` of `/v1/related`.
    public var maximumCount = 100
    /// Default `k` when the request gives none.
    public var defaultCount = 10
    /// Most names in `exclude`.
    public var maximumExcluded = 200
    /// Most rows in one `/v1/decide` request.
    public var maximumDecideRows = 1_000
    /// Largest request body, bytes.
    public var maximumBodyBytes = 1 << 20
    /// A connection that completes no request part (a request head, a body chunk) for this long is
    /// closed: bounds both slow headers and idle keep-alive connections.
    public var idleTimeoutSeconds = 30.0
    /// Connections served at once; further ones wait in the listen backlog until one closes.
    public var maximumConnections = 1_024
    /// Most exact related-items scans answered by one batched GEMM (`RelatedScanBatcher`); 1 scans
    /// each request alone.
    public var maximumScanBatch = 64

    public init() {}

    public func validate() throws(ServingError) {
        guard maximumCount >= 1, defaultCount >= 1, defaultCount <= maximumCount else {
            throw ServingError(.badRequest, "need 1 <= default count (\(defaultCount)) <= maximum count (\(maximumCount))")
        }
        guard maximumExcluded >= 0, maximumDecideRows >= 1, maximumBodyBytes >= 1024 else {
            throw ServingError(.badRequest, "limits must be positive (exclude \(maximumExcluded), rows \(maximumDecideRows), body \(maximumBodyBytes) bytes >= 1024)")
        }
        guard idleTimeoutSeconds >= 0.1, idleTimeoutSeconds <= 3600 else {
            throw ServingError(.badRequest, "idle timeout must be 0.1 to 3600 seconds, got \(idleTimeoutSeconds)")
        }
        guard maximumScanBatch >= 1, maximumScanBatch <= 4096 else {
            throw ServingError(.badRequest, "scan batch must be 1 to 4096 queries, got \(maximumScanBatch)")
        }
        guard maximumConnections >= 1, maximumConnections <= 1_000_000 else {
            throw ServingError(.badRequest, "maximum connections must be 1 to 1,000,000, got \(maximumConnections)")
        }
    }
}
