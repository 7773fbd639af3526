import VaneLinear

/// What a sharded replay job gives `StreamReplay`: its place in the job and the few collectives a
/// data-parallel replay needs. Each rank holds a shard of the clicks (`ClickLog.shard(rank:of:)`),
/// builds its shard's streams, and every model (the replayed one and the auxiliary ones) is
/// replicated: each optimiser step sums the ranks' parts of one job-wide mini-batch and every
/// replica applies the same sum, so the replicas never drift apart.
///
/// VaneConversions never talks to a network: an MPI job (`VaneMPI.MPIReplayContext`) or a test
/// implements this, and `LocalReplayContext` is the single process. Every method except `rank` and
/// `ranks` is collective: every rank calls it in the same order with its own arguments (possibly
/// empty), or the job waits. `Failure` is `Never` for the single process, so its replay cannot throw.
public protocol ReplayShardContext {
    associatedtype Failure: Error
    /// This process's rank in 0..<ranks.
    var rank: Int { get }
    var ranks: Int { get }
    /// Element-wise sum over ranks, in place, on every rank.
    mutating func sum(_ values: inout [Double]) throws(Failure)
    /// Element-wise minimum over ranks, in place, on every rank.
    mutating func minimum(_ values: inout [Double]) throws(Failure)
    /// Element-wise maximum over ranks, in place, on every rank.
    mutating func maximum(_ values: inout [Double]) throws(Failure)
    /// Every rank's `values` concatenated in rank order, on every rank.
    mutating func concatenate(_ values: [Double]) throws(Failure) -> [Double]
    /// The ranks' parts of one mini-batch's gradient, summed in rank order (`LogisticGradient(summing:)`),
    /// on every rank.
    mutating func sum(_ gradient: LogisticGradient) throws(Failure) -> LogisticGradient
}

/// The single process: one rank, every collective the identity.
public struct LocalReplayContext: ReplayShardContext, Sendable {
    public init() {}
    public var rank: Int { 0 }
    public var ranks: Int { 1 }
    public func sum(_ values: inout [Double]) {}
    public func minimum(_ values: inout [Double]) {}
    public func maximum(_ values: inout [Double]) {}
    public func concatenate(_ values: [Double]) -> [Double] { values }
    public func sum(_ gradient: LogisticGradient) -> LogisticGradient { gradient }
}

extension ReplayShardContext {
    /// Each rank's share of a job-wide mini-batch of `batchSize` samples: batchSize / ranks, rounded up.
    func localBatchSize(_ batchSize: Int) -> Int { (batchSize + ranks - 1) / ranks }
}
