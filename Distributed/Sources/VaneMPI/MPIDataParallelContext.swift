import VanePartition
import VaneRelated
import VaneTensor

/// The `DataParallelContext` of an MPI job: one `ShardedEmbeddingTable` per embedding kind, rows
/// placed by a graph partition (each rank owns one part, renumbered into a contiguous range), dense
/// sums by `MPI_Allreduce`. Not `Sendable`: MPI calls stay on the communicator's thread.
public final class MPIDataParallelContext: DataParallelContext {
    public let communicator: Communicator
    public let partition: GraphPartition
    public let tables: [ShardedEmbeddingTable]
    private let newID: [Int32]

    /// Tables of `widths` columns over the partition's nodes (parts = ranks), rows seeded by node id
    /// and `seed`, sparse Adam with `learningRate`.
    public init(communicator: Communicator, partition: GraphPartition, widths: [Int], seed: UInt64, learningRate: Float) {
        precondition(partition.parts == communicator.size, "MPIDataParallelContext: one part per rank")
        self.communicator = communicator
        self.partition = partition
        let (newID, oldID, offsets) = partition.layout
        self.newID = newID
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

    public func allRows(kind: Int) throws -> Matrix {
        let table = tables[kind]
        var values = try table.gather().values
        if rank != 0 { values = [Float](repeating: 0, count: table.rows * table.width) }
        try communicator.broadcast(&values)
        // Back from the layout's order to node ids.
        var rows = Matrix(rows: table.rows, columns: table.width)
        for node in 0..<table.rows {
            let from = Int(newID[node]) * table.width
            for c in 0..<table.width { rows.values[node * table.width + c] = values[from + c] }
        }
        return rows
    }
}
