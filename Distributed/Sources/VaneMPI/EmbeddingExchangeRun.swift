import Foundation
import VaneGraph
import VanePartition
import VaneTensor

/// The communication of sharded embedding training, run for real without the network: the steps a
/// sharded trainer takes (issue 19's plan) with the model's arithmetic replaced by a fixed rule, so
/// the bytes and seconds of the exchanges can be measured on a real graph and partition.
///
/// Each rank owns one part as a contiguous id range of a `ShardedEmbeddingTable` (ids renumbered by
/// `GraphPartition.layout`); batches, samples, initial rows and noise are keyed by the graph's own ids. Step s: a batch of `batchSize` seed edges drawn from all
/// edges by a generator seeded by (seed, s), the same on every rank; each rank takes the seed edges
/// whose source it owns, samples each edge's neighbourhood (both ends; `fanOut[0]` neighbours per node
/// in each direction, then `fanOut[1]` of each of those; `UniformSampler` seeded by (seed, s, edge)),
/// pulls the rows of the distinct nodes, and pushes one gradient row per (edge, node):
/// 0.01 x the pulled row plus noise seeded by (seed, s, edge, node). Every quantity depends on the
/// edge, not on the rank, so the table after S steps is the same on any number of ranks (up to the
/// order of float sums): the test of the exchange's correctness. O(steps x batch x fan-out products).
public struct EmbeddingExchangeRun: Sendable {
    public var batchSize = 1024
    public var fanOut = [10, 5]
    public var dimension = 64
    public var steps = 20
    public var seed: UInt64 = 1

    public init() {}

    /// What one rank measured, summed over steps.
    public struct RankReport: Sendable {
        public var seedEdges = 0
        /// Sampled rows with repeats (one per (edge, node)), before deduplication.
        public var sampledRows = 0
        public var pulledRows = 0
        public var remoteRows = 0
        public var bytesSent = 0
        public var bytesReceived = 0
        public var samplingSeconds = 0.0
        public var pullSeconds = 0.0
        public var pushSeconds = 0.0
    }

    /// Runs the steps on this rank over `graph` partitioned by `partition` (parts = ranks). Returns
    /// this rank's report and the table (for `gather`; its ids are the partition layout's `newID`).
    /// Collective.
    public func run(graph: DirectedGraph, partition: GraphPartition, communicator: Communicator) throws(MPIError)
        -> (report: RankReport, table: ShardedEmbeddingTable) {
        precondition(partition.parts == communicator.size, "EmbeddingExchangeRun: one part per rank")
        let (newID, oldID, offsets) = partition.layout
        // Rows are keyed, seeded and sampled by the graph's own ids; only the table sees the layout's.
        let table = ShardedEmbeddingTable(rows: graph.nodeCount, width: dimension, offsets: offsets, communicator: communicator, seed: seed,
                                          rowKey: { Int(oldID[$0]) })
        let mine = offsets[communicator.rank]..<offsets[communicator.rank + 1]
        var report = RankReport()
        let allEdges = graph.edges
        let samplers = fanOut.map { UniformSampler(fanOut: $0) }
        for step in 0..<steps {
            let sampling = Date()
            var batchGenerator = SeededGenerator(seed: seed ^ (UInt64(step + 1) &* 0xA24B_AED4_963E_E407))
            var ids: [Int32] = []
            var contributions: [(edge: Int, node: Int32)] = []
            for position in 0..<batchSize {
                let edge = allEdges[batchGenerator.nextIndex(below: allEdges.count)]
                guard mine.contains(Int(newID[Int(edge.source)])) else { continue }
                report.seedEdges += 1
                var generator = SeededGenerator(seed: seed ^ (UInt64(step + 1) << 32) ^ UInt64(position))
                var frontier: [Int32] = [edge.source, edge.target]
                var layer = frontier
                for sampler in samplers {
                    var next: [Int32] = []
                    for node in layer {
                        sampler.sample(node, direction: .outgoing, in: graph, into: &next, using: &generator)
                        sampler.sample(node, direction: .incoming, in: graph, into: &next, using: &generator)
                    }
                    frontier += next
                    layer = next
                }
                for node in frontier {
                    ids.append(newID[Int(node)])
                    contributions.append((position, node))
                }
            }
            report.samplingSeconds += Date().timeIntervalSince(sampling)
            report.sampledRows += ids.count
            let (distinct, _) = RowRangeExchange.deduplicate(ids)
            report.pulledRows += distinct.count
            report.remoteRows += distinct.filter { !mine.contains(Int($0)) }.count
            let sentBefore = communicator.bytesSent, receivedBefore = communicator.bytesReceived
            let pulling = Date()
            let rows = try table.pull(ids)
            report.pullSeconds += Date().timeIntervalSince(pulling)
            var gradients = Matrix(rows: ids.count, columns: dimension)
            for (i, contribution) in contributions.enumerated() {
                var noise = SeededGenerator(seed: seed ^ (UInt64(step + 1) << 40) ^ (UInt64(contribution.edge) << 20) ^ UInt64(contribution.node))
                for c in 0..<dimension {
                    gradients.values[i * dimension + c] = 0.01 * rows.values[i * dimension + c] + Float(noise.nextGaussian()) * 0.01
                }
            }
            let pushing = Date()
            try table.push(ids, gradients: gradients)
            report.pushSeconds += Date().timeIntervalSince(pushing)
            report.bytesSent += communicator.bytesSent - sentBefore
            report.bytesReceived += communicator.bytesReceived - receivedBefore
        }
        return (report, table)
    }
}
