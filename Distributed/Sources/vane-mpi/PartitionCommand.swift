import ArgumentParser
import Foundation
import VaneGraph
import VanePartition

extension GraphPartition.Method: ExpressibleByArgument {}

/// `vane-mpi partition`: a partition of a graph's nodes over ranks, written once for every later job.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Partition a graph's nodes over ranks (METIS k-way or a seeded hash) and write it for reuse.",
        discussion: """
        Runs as one process (no mpirun). METIS (Karypis & Kumar) cuts as few directed edges as it can \
        while keeping every part's nodes (embedding rows) and out-edges (seed edges) within --imbalance \
        of the mean; the hash partition has no locality but needs nothing but the node names and works \
        at any size. Cut edges and halos (other parts' nodes adjacent to a part) are what a sharded job \
        exchanges each step, so both methods' are printed.

        The file has a header line "# vane-partition-v1 parts=P method=M nodes=N" and one line \
        name<TAB>part per node, in the graph's node order.

        Example:
          vane-mpi partition --edges ../shared/data/debian-packages.edges.tsv.gz --parts 8 --out debian.parts.tsv
        """
    )

    @Option(help: "Edge list (source<TAB>target per line; gzip is detected).")
    var edges: String

    @Option(help: "Parts (ranks of the jobs that will use it).")
    var parts: Int

    @Option(help: "metis or hash.")
    var method = GraphPartition.Method.metis

    @Option(help: "Largest part over the mean part, for nodes and for out-edges (METIS only), in (1, 2].")
    var imbalance = 1.05

    @Option(help: "Seed of METIS's randomised coarsening, or of the hash.")
    var seed: UInt64 = 1

    @Option(help: "Partition file to write.")
    var out: String

    @Flag(name: .customLong("json"), help: "Print the statistics as one JSON object.")
    var json = false

    func validate() throws {
        guard parts >= 1 else { throw ValidationError("--parts must be at least 1, got \(parts)") }
        guard imbalance > 1, imbalance <= 2 else { throw ValidationError("--imbalance must be in (1, 2], got \(imbalance)") }
    }

    func run() throws {
        let graph: DirectedGraph
        do { graph = try EdgeListLoader().load(path: edges).graph } catch { throw ValidationError("--edges: \(error)") }
        guard parts <= graph.nodeCount else { throw ValidationError("--parts \(parts) exceeds the graph's \(graph.nodeCount) nodes") }
        let started = Date()
        let partition: GraphPartition
        do {
            partition = try GraphPartition.make(graph, parts: parts, method: method, seed: seed, imbalance: imbalance)
        } catch { throw ValidationError("--parts: \(error.message)") }
        let seconds = Date().timeIntervalSince(started)
        do { try partition.write(to: out, graph: graph) } catch { throw ValidationError("--out: \(error.message)") }
        let statistics = partition.statistics(on: graph)
        let hash = method == .hash ? statistics : (try? GraphPartition.hash(graph, parts: parts, seed: seed))?.statistics(on: graph)
        if json {
            func object(_ s: GraphPartition.Statistics) -> String {
                "{\"cut_edges\": \(s.cutEdges), \"cut_share\": \(s.cutShare), \"node_imbalance\": \(s.nodeImbalance), "
                    + "\"edge_imbalance\": \(s.edgeImbalance), \"nodes\": \(s.nodes), \"out_edges\": \(s.outEdges), \"halo\": \(s.halo)}"
            }
            print("{\"edges_file\": \"\(edges)\", \"nodes\": \(graph.nodeCount), \"edges\": \(graph.edgeCount), \"parts\": \(parts), "
                  + "\"method\": \"\(method.rawValue)\", \"seconds\": \(seconds), \"partition\": \(object(statistics)), "
                  + "\"hash\": \(hash.map(object) ?? "null")}")
            return
        }
        func line(_ name: String, _ s: GraphPartition.Statistics) -> String {
            String(format: "%@: cut %d of %d edges (%.1f%%), halo %.1f%% of nodes per part (mean), imbalance nodes %.3f, out-edges %.3f",
                   name, s.cutEdges, s.edges, 100 * s.cutShare,
                   100 * Double(s.halo.reduce(0, +)) / Double(max(1, s.halo.count)) / Double(max(1, graph.nodeCount)),
                   s.nodeImbalance, s.edgeImbalance)
        }
        print("wrote \(out): \(graph.nodeCount) nodes in \(parts) parts by \(method.rawValue) in " + String(format: "%.2f s", seconds))
        print(line(method.rawValue, statistics))
        if method != .hash, let hash { print(line("hash (for comparison)", hash)) }
    }
}
