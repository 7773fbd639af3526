import VaneTensor

/// What a data-parallel job gives `DirectedGNNTrainer.fitDataParallel`: its place in the job, where
/// seed edges are trained, embedding tables that live across the ranks, and a sum over ranks.
///
/// VaneRelated never talks to a network: an MPI job (`VaneMPI.MPIDataParallelContext`) or a test
/// implements this. Every method except `rank`, `ranks` and `owner(of:)` is collective: every rank
/// calls it in the same order with its own arguments (possibly empty), or the job waits.
public protocol DataParallelContext {
    /// This process's rank in 0..<ranks.
    var rank: Int { get }
    var ranks: Int { get }
    /// The rank that trains on the edges leaving `node` (and owns its embedding rows, for locality).
    func owner(of node: Int32) -> Int
    /// Rows of embedding table `kind` for distinct node ids, in order, wherever they live.
    mutating func rows(kind: Int, ids: [Int32]) throws -> Matrix
    /// Adds this rank's row gradients for table `kind` to every other rank's and applies one sparse
    /// Adam step (learning rate as configured) on the owners; every rank takes the step.
    mutating func apply(kind: Int, gradient: SparseRowGradient) throws
    /// Element-wise sum over ranks, in place, on every rank.
    mutating func sum(_ values: inout [Float]) throws
    /// Every row of table `kind`, in node id order, on every rank (validation and the final model).
    mutating func allRows(kind: Int) throws -> Matrix
}

extension DirectedGNNConfiguration {
    /// Width of each embedding table the structure trains (one per representation kind, in order):
    /// what a `DataParallelContext` must hold.
    public var embeddingWidths: [Int] { structure.kinds(dimension: dimension).map(\.dimension) }
}
