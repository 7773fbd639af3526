import VaneTensor

/// What a data-parallel job gives `DirectedGNNTrainer.fitDataParallel`: its place in the job, where
/// seed edges are trained, embedding tables that live across the ranks, node-state matrices split
/// the same way, and sums over ranks.
///
/// VaneRelated never talks to a network: an MPI job (`VaneMPI.MPIDataParallelContext`) or a test
/// implements this. Every method except `rank`, `ranks`, `owner(of:)`, `ownedNodes` and `ownedRows`
/// is collective: every rank calls it in the same order with its own arguments (possibly empty), or
/// the job waits.
public protocol DataParallelContext {
    /// This process's rank in 0..<ranks.
    var rank: Int { get }
    var ranks: Int { get }
    /// The rank that trains on the edges leaving `node` (and owns its embedding rows, for locality).
    func owner(of node: Int32) -> Int
    /// The nodes this rank owns, in the order of its local rows: `ownedRows(kind:)` and the local
    /// part of every sharded state matrix (`rows(of:ids:)`, `gather(_:)`) list them in this order.
    var ownedNodes: [Int32] { get }
    /// Rows of embedding table `kind` for distinct node ids, in order, wherever they live.
    mutating func rows(kind: Int, ids: [Int32]) throws -> Matrix
    /// This rank's rows of table `kind` (ownedNodes.count x width), in `ownedNodes` order. Not collective.
    func ownedRows(kind: Int) -> Matrix
    /// Adds this rank's row gradients for table `kind` to every other rank's and applies one sparse
    /// Adam step (learning rate as configured) on the owners; every rank takes the step.
    mutating func apply(kind: Int, gradient: SparseRowGradient) throws
    /// Element-wise sum over ranks, in place, on every rank.
    mutating func sum(_ values: inout [Float]) throws
    /// Element-wise sum over ranks, in place, on every rank (counts past Float's 2^24).
    mutating func sum(_ values: inout [Double]) throws
    /// Rows of a node-state matrix split over the ranks as the tables are (`local`: this rank's
    /// rows, in `ownedNodes` order) for the given node ids, in order, wherever they live.
    mutating func rows(of local: Matrix, ids: [Int32]) throws -> Matrix
    /// What `planPull(ids:)` keeps of a fixed list of ids (e.g. a halo pulled at every step); a
    /// context with nothing to plan keeps the ids and pulls them again each time.
    associatedtype PullPlan
    /// Plans the pulls of `ids`, rows of matrices split like the tables, once, so that each
    /// `rows(of:plan:)` moves rows only (an MPI job: the ids are sent to their owners here, not at
    /// every pull). Collective.
    mutating func planPull(ids: [Int32]) throws -> PullPlan
    /// `rows(of: local, ids: ids)` for the ids `plan` was made for, in their order. Collective.
    mutating func rows(of local: Matrix, plan: PullPlan) throws -> Matrix
    /// Training is over: the embedding tables and their optimiser state may be freed (`rows(kind:)`,
    /// `ownedRows`, `apply` are not called again). Not collective.
    mutating func releaseTables()
    /// Every rank's `local` rows (in `ownedNodes` order) assembled in node id order on rank 0; nil
    /// on the other ranks.
    mutating func gather(_ local: Matrix) throws -> Matrix?
}

extension DirectedGNNConfiguration {
    /// Width of each embedding table the structure trains (one per representation kind, in order):
    /// what a `DataParallelContext` must hold.
    public var embeddingWidths: [Int] { structure.kinds(dimension: dimension).map(\.dimension) }
}
