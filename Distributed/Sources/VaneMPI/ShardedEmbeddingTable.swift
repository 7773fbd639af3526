import Foundation
import VaneTensor

/// An embedding table (rows x width) split row-wise over the ranks of a job, each rank holding the
/// rows of one contiguous id range with their sparse Adam state, as torchrec shards tables and DistDGL
/// keeps embeddings in its KV store.
///
/// - `pull(_:)`: the rows of any ids, wherever they live. Ids are deduplicated, grouped by owner
///   (a binary search in the range offsets; `RowRangeExchange`), sent to the owners (one `exchange` of ids), and the
///   owners send the rows back (one `exchange` of rows).
/// - `push(_:gradients:)`: row gradients of any ids, summed per id on the sender, sent to the owners
///   (one `exchange` of ids and one of rows); each owner sums what every rank sent for a row and takes
///   one sparse Adam step over its touched rows (every rank takes a step, touched or not, so step
///   counts and bias corrections stay equal everywhere).
/// Rows start from a generator seeded by (seed, row key) (dgl#2966's remedy: no rank initialises or
/// sends rows it does not own), so the table's contents never depend on the number of ranks: a
/// job on P ranks computes what one process computes, up to the order of float sums.
/// Collective: every rank calls `pull` and `push` in the same sequence. Not `Sendable` (MPI thread).
public final class ShardedEmbeddingTable {
    public let rows: Int
    public let width: Int
    /// Rank r owns global ids offsets[r] ..< offsets[r + 1].
    public let offsets: [Int]
    public let communicator: Communicator
    /// How rows are fetched from their owners.
    public let exchange: RowRangeExchange
    /// This rank's rows (local id = global id - offsets[rank]).
    public private(set) var local: Matrix
    private var optimizer: SparseAdam

    /// `offsets`: size + 1 non-decreasing values from 0 to `rows` (a `ShardPlan` or a partition's layout).
    /// `rowKey` maps a table id to the key its starting values are seeded by (e.g. the node's id
    /// before a partition renumbered it, so the values do not depend on the partition).
    public init(rows: Int, width: Int, offsets: [Int], communicator: Communicator, seed: UInt64,
                standardDeviation: Float = 0.1, adam: AdamConfiguration = .init(), rowKey: (Int) -> Int = { $0 }) {
        precondition(offsets.count == communicator.size + 1 && offsets.first == 0 && offsets.last == rows
                     && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "ShardedEmbeddingTable: offsets must cover the rows in order")
        self.rows = rows
        self.width = width
        self.offsets = offsets
        self.communicator = communicator
        exchange = RowRangeExchange(offsets: offsets, communicator: communicator)
        let range = offsets[communicator.rank]..<offsets[communicator.rank + 1]
        local = Matrix(rows: range.count, columns: width)
        for (localID, id) in range.enumerated() {
            let row = Self.initialRow(id: rowKey(id), width: width, seed: seed, standardDeviation: standardDeviation)
            for c in 0..<width { local.values[localID * width + c] = row[c] }
        }
        optimizer = SparseAdam(rows: range.count, columns: width, configuration: adam)
    }

    /// Row `id`'s starting values: normal(0, sd) from a generator seeded by (seed, id). O(width).
    public static func initialRow(id: Int, width: Int, seed: UInt64, standardDeviation: Float) -> [Float] {
        var generator = SeededGenerator(seed: seed ^ (UInt64(id) &* 0x9E37_79B9_7F4A_7C15))
        return Matrix.normal(rows: 1, columns: width, standardDeviation: standardDeviation, using: &generator).values
    }

    /// The rank owning global id `id`. O(log ranks).
    public func owner(of id: Int32) -> Int { exchange.owner(of: id) }

    /// Rows of `ids` (any order, repeats allowed), one per id in order. Collective. Sends each
    /// distinct remote id once (4 bytes) and receives its row (width x 4 bytes).
    public func pull(_ ids: [Int32]) throws(MPIError) -> Matrix { try exchange.pull(ids, from: local) }

    /// Adds `gradients` (ids.count x width) to the rows of `ids` and takes one sparse Adam step on
    /// every owner. Collective. Sends each distinct remote id once with its summed gradient row.
    public func push(_ ids: [Int32], gradients: Matrix) throws(MPIError) {
        precondition(gradients.rows == ids.count && gradients.columns == width, "push: one gradient row per id")
        precondition(ids.allSatisfy { $0 >= 0 && Int($0) < rows }, "push: ids must be rows of the table")
        let summed = SparseRowGradient(indices: ids, rowGradients: gradients)
        var idParts = [[Int32]](repeating: [], count: communicator.size)
        var rowParts = [[Float]](repeating: [], count: communicator.size)
        for (j, id) in summed.rowIndices.enumerated() {
            let r = owner(of: id)
            idParts[r].append(id)
            rowParts[r] += summed.gradients.values[(j * width)..<((j + 1) * width)]
        }
        let incomingIDs = try communicator.exchange(idParts)
        let incomingRows = try communicator.exchange(rowParts, width: width)
        // Sum per local row over senders, in rank order (deterministic for a given number of ranks).
        let base = offsets[communicator.rank]
        var localIDs: [Int32] = [], localRows: [Float] = []
        for r in 0..<communicator.size {
            localIDs += incomingIDs[r].map { $0 - Int32(base) }
            localRows += incomingRows[r]
        }
        let gradient = SparseRowGradient(indices: localIDs, rowGradients: Matrix(rows: localIDs.count, columns: width, values: localRows))
        optimizer.update(&local, gradient: gradient)
    }

    /// Every row of the table on `root` in id order (empty elsewhere): for checks and model files. Collective.
    public func gather(root: Int = 0) throws(MPIError) -> Matrix {
        let values = try communicator.gatherVariable(local.values, root: root)
        return communicator.rank == root ? Matrix(rows: rows, columns: width, values: values) : Matrix(rows: 0, columns: width)
    }
}
