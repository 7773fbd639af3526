import VanePartition
import VaneRelated
import VaneTensor

/// The `DataParallelContext` of an MPI job: one `ShardedEmbeddingTable` per embedding kind, rows
/// placed by a graph partition (each rank owns one part, renumbered into a contiguous range), dense
/// sums by `MPI_Allreduce`. Not `Sendable`: MPI calls stay on the communicator's thread.
public final class MPIDataParallelContext: DataParallelContext {
    public let communicator: Communicator
    public let partition: GraphPartition
    public private(set) var tables: [ShardedEmbeddingTable]
    /// Serves rows of matrices split like the tables (also once the tables are released).
    private let exchange: RowRangeExchange
    private let newID: [Int32]
    private let oldID: [Int32]
    /// This rank's nodes in layout order (the order of its table rows).
    private let ownedNodeList: [Int32]
    /// Rows owned elsewhere that each plan made here (`planPull`) receives per pull, in order: what a
    /// planned pull moves to this rank (times the row width x 4 bytes).
    public private(set) var plannedRemoteRows: [Int] = []

    /// Tables of `widths` columns over the partition's nodes (parts = ranks), rows seeded by node id
    /// and `seed`, sparse Adam with `learningRate`.
    public init(communicator: Communicator, partition: GraphPartition, widths: [Int], seed: UInt64, learningRate: Float) {
        precondition(partition.parts == communicator.size, "MPIDataParallelContext: one part per rank")
        self.communicator = communicator
        self.partition = partition
        let (newID, oldID, offsets) = partition.layout
        self.newID = newID
        self.oldID = oldID
        exchange = RowRangeExchange(offsets: offsets, communicator: communicator)
        ownedNodeList = Array(oldID[offsets[communicator.rank]..<offsets[communicator.rank + 1]])
        tables = widths.enumerated().map { kind, width in
            ShardedEmbeddingTable(rows: partition.assignment.count, width: width, offsets: offsets, communicator: communicator,
                                  seed: seed &+ UInt64(kind) &* 0x9E37, adam: AdamConfiguration(learningRate: learningRate),
                                  rowKey: { Int(oldID[$0]) })
        }
    }

    public var rank: Int { communicator.rank }
    public var ranks: Int { communicator.size }
    public func owner(of node: Int32) -> Int { Int(partition.assignment[Int(node)]) }

    public func rows(kind: Int, ids: [Int32]) throws -> Matrix {
        try tables[kind].pull(ids.map { newID[Int($0)] })
    }

    public func apply(kind: Int, gradient: SparseRowGradient) throws {
        try tables[kind].push(gradient.rowIndices.map { newID[Int($0)] }, gradients: gradient.gradients)
    }

    public func sum(_ values: inout [Float]) throws { try communicator.allreduceSum(&values) }

    public var ownedNodes: [Int32] { ownedNodeList }

    public func ownedRows(kind: Int) -> Matrix { tables[kind].local }

    public func sum(_ values: inout [Double]) throws { try communicator.allreduceSum(&values) }

    public func rows(of local: Matrix, ids: [Int32]) throws -> Matrix {
        try exchange.pull(ids.map { newID[Int($0)] }, from: local)
    }

    public func planPull(ids: [Int32]) throws -> RowRangeExchange.Plan {
        let plan = try exchange.plan(ids.map { newID[Int($0)] })
        plannedRemoteRows.append(plan.remoteRows)
        return plan
    }

    public func rows(of local: Matrix, plan: RowRangeExchange.Plan) throws -> Matrix {
        try exchange.pull(plan, from: local)
    }

    public func releaseTables() { tables = [] }

    public func gather(_ local: Matrix) throws -> Matrix? {
        precondition(local.rows == ownedNodeList.count, "gather: one row per owned node")
        let width = local.columns
        var values = try communicator.gatherVariable(local.values, root: 0)
        guard rank == 0 else { return nil }
        // From the layout's order (rank by rank, each part's rows in order) back to node ids, in
        // place by following the permutation's cycles: no second copy of the whole matrix.
        let count = newID.count
        var placed = [Bool](repeating: false, count: count)
        var held = [Float](repeating: 0, count: width), next = [Float](repeating: 0, count: width)
        for start in 0..<count where !placed[start] {
            // Row at layout position p belongs at node position oldID[p]; walk p -> oldID[p].
            var position = start
            for c in 0..<width { held[c] = values[position * width + c] }
            while !placed[position] {
                placed[position] = true
                let destination = Int(oldID[position])
                for c in 0..<width {
                    next[c] = values[destination * width + c]
                    values[destination * width + c] = held[c]
                }
                swap(&held, &next)
                position = destination
            }
        }
        return Matrix(rows: count, columns: width, values: values)
    }
}
