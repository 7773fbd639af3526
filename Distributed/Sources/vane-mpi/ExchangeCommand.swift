import ArgumentParser
import Foundation
import VaneGraph
import VaneMPI
import VanePartition

/// `vane-mpi exchange`: the embedding exchanges of sharded training on a real graph and partition,
/// measured (bytes and seconds per step).
struct ExchangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Measure the row exchanges of sharded embedding training: bytes and seconds per step.",
        discussion: """
        Every rank owns one part of the graph (METIS or hash, or a --partition file from `vane-mpi \
        partition`) as a contiguous id range of a sharded embedding table. Each step draws a batch of \
        seed edges (the same on every rank), each rank takes the ones whose source it owns, samples \
        their neighbourhoods (--fan-out per hop, both directions), pulls the rows of the distinct nodes \
        from their owners and pushes a gradient row per (edge, node) back, where the owners take a \
        sparse Adam step. The gradients follow a fixed rule instead of a model, so the result does not \
        depend on the number of ranks (--table-out writes the final table to check it); what is \
        measured is the communication a sharded trainer of this batch and fan-out would have.

        Example (8 ranks on this machine):
          mpirun --oversubscribe -np 8 vane-mpi exchange --edges ../shared/data/debian-packages.edges.tsv.gz --method metis --json
        """
    )

    @Option(help: "Edge list (source<TAB>target per line; gzip is detected).")
    var edges: String

    @Option(help: "Partition when no --partition file is given: metis or hash (one part per rank).")
    var method = GraphPartition.Method.metis

    @Option(help: "Partition file written by `vane-mpi partition` (its parts must equal the ranks).")
    var partition: String?

    @Option(help: "Seed edges per step, over all ranks.")
    var batch = 1024

    @Option(name: .customLong("fan-out"), help: "Neighbours sampled per node and direction at each hop, comma-separated.")
    var fanOut = "10,5"

    @Option(help: "Embedding width (floats per row).")
    var dimension = 64

    @Option(help: "Steps.")
    var steps = 20

    @Option(help: "Seed of the batches, samples, rows and partition.")
    var seed: UInt64 = 1

    @Option(name: .customLong("table-out"), help: "Write the final table (nodes x dimension little-endian float32, in the edge list's node order) here, from rank 0.")
    var tableOut: String?

    @Flag(help: "Print one JSON object (rank 0).")
    var json = false

    var hops: [Int] { fanOut.split(separator: ",").compactMap { Int($0) } }

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
        guard !hops.isEmpty, hops.count == fanOut.split(separator: ",").count, hops.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--fan-out must be positive integers separated by commas, got \(fanOut)")
        }
        guard (1...4096).contains(dimension) else { throw ValidationError("--dimension must be 1...4096, got \(dimension)") }
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let rank = communicator.rank
        // Every rank loads and partitions alike (METIS is deterministic for a seed); any failure stops all.
        let (graph, parts) = try communicator.setUpOnEveryRank { () throws(ValidationError) -> (DirectedGraph, GraphPartition) in
            let graph: DirectedGraph
            do { graph = try EdgeListLoader().load(path: edges).graph } catch { throw ValidationError("--edges: \(error)") }
            let parts: GraphPartition
            do throws(PartitionError) {
                if let partition {
                    parts = try GraphPartition.load(from: partition, graph: graph)
                } else {
                    parts = try GraphPartition.make(graph, parts: communicator.size, method: method, seed: seed)
                }
            } catch { throw ValidationError("\(partition == nil ? "--method" : "--partition"): \(error.message)") }
            guard parts.parts == communicator.size else {
                throw ValidationError("--partition has \(parts.parts) parts for \(communicator.size) ranks")
            }
            return (graph, parts)
        }
        var run = EmbeddingExchangeRun()
        run.batchSize = batch
        run.fanOut = hops
        run.dimension = dimension
        run.steps = steps
        run.seed = seed
        let started = Date()
        let (report, table) = try run.run(graph: graph, partition: parts, communicator: communicator)
        let seconds = Date().timeIntervalSince(started)
        // Per-rank values, one slot per rank, summed so every slot reaches every rank.
        let fields = 9
        var values = [Double](repeating: 0, count: communicator.size * fields)
        let mine: [Double] = [Double(report.seedEdges), Double(report.pulledRows), Double(report.remoteRows), Double(report.bytesSent),
                              Double(report.bytesReceived), report.samplingSeconds, report.pullSeconds, report.pushSeconds, Double(report.sampledRows)]
        for (k, value) in mine.enumerated() { values[rank * fields + k] = value }
        try communicator.allreduceSum(&values)
        let gathered = try table.gather()
        guard rank == 0 else { return }
        if let tableOut {
            // Back to the graph's node order.
            let newID = parts.layout.newID
            var rows = [Float](repeating: 0, count: gathered.values.count)
            for old in 0..<graph.nodeCount {
                let from = Int(newID[old]) * dimension
                for c in 0..<dimension { rows[old * dimension + c] = gathered.values[from + c] }
            }
            let data = rows.withUnsafeBufferPointer { Data(buffer: $0) }
            do { try data.write(to: URL(fileURLWithPath: tableOut), options: .atomic) } catch {
                throw ValidationError("--table-out: cannot write \(tableOut): \(error.localizedDescription)")
            }
        }
        let perRank = (0..<communicator.size).map { r in Array(values[(r * fields)..<((r + 1) * fields)]) }
        func perStep(_ k: Int) -> [Double] { perRank.map { $0[k] / Double(steps) } }
        let statistics = parts.statistics(on: graph)
        let sent = perStep(3), pulled = perStep(1), remote = perStep(2)
        let meanSent = sent.reduce(0, +) / Double(sent.count)
        let remoteShare = remote.reduce(0, +) / max(1, pulled.reduce(0, +))
        if json {
            print("{\"edges_file\": \"\(edges)\", \"nodes\": \(graph.nodeCount), \"edges\": \(graph.edgeCount), \"ranks\": \(communicator.size), "
                  + "\"partition\": \"\(parts.method.rawValue)\", \"cut_share\": \(statistics.cutShare), \"batch\": \(batch), \"fan_out\": \(hops), "
                  + "\"dimension\": \(dimension), \"steps\": \(steps), \"seconds\": \(seconds), "
                  + "\"per_step\": {\"seed_edges\": \(perStep(0)), \"pulled_rows\": \(pulled), \"remote_rows\": \(remote), "
                  + "\"bytes_sent\": \(sent), \"bytes_received\": \(perStep(4)), \"sampling_seconds\": \(perStep(5)), "
                  + "\"pull_seconds\": \(perStep(6)), \"push_seconds\": \(perStep(7)), \"sampled_rows\": \(perStep(8))}, \"remote_share\": \(remoteShare)}")
            return
        }
        print(String(format: "%d ranks, %@ partition (cut %.1f%% of edges), batch %d, fan-out %@, dimension %d, %d steps in %.1f s",
                     communicator.size, parts.method.rawValue, 100 * statistics.cutShare, batch, fanOut, dimension, steps, seconds))
        print(String(format: "per rank and step: %.0f distinct rows pulled (%.1f%% remote), %.2f MB sent (max over ranks %.2f MB)",
                     pulled.reduce(0, +) / Double(pulled.count), 100 * remoteShare, meanSent / 1e6, (sent.max() ?? 0) / 1e6))
        print(String(format: "seconds per step (rank means): sampling %.4f, pull %.4f, push %.4f",
                     perStep(5).reduce(0, +) / Double(communicator.size), perStep(6).reduce(0, +) / Double(communicator.size),
                     perStep(7).reduce(0, +) / Double(communicator.size)))
        if let tableOut { print("wrote \(tableOut): \(gathered.rows) x \(gathered.columns) float32") }
    }
}
