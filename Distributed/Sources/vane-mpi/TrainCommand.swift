import ArgumentParser
import Foundation
import VaneGraph
import VaneMPI
import VanePartition
import VaneRelated
import VaneTensor

/// `vane-mpi train`: the directed GNN trained data-parallel with sharded embedding tables.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the directed GNN (hybrid structure, degree-biased sampling) over the ranks, embeddings sharded.",
        discussion: """
        Holds out a seeded 5% of the edges for early stopping (as `vane graph train`), partitions the \
        rest (METIS or hash, one part per rank), and trains with `DirectedGNNTrainer.fitDataParallel`:
        each rank takes the batch's edges leaving the nodes it owns, pulls the embedding rows its plans \
        need from their owners, and the owners apply the summed row gradients; layer weights are \
        replicated and their gradients summed. Negatives and neighbourhoods are drawn per edge and per \
        node, so the result does not depend on the number of ranks (up to the order of float sums). \
        No rank holds every node's rows while training: validation infers each rank's own nodes \
        and counts ranks over its own items; only rank 0 assembles the final model. The report \
        gives each rank's peak resident memory. \
        With --out, the job then trains the default's LightGCN block over the ranks too \
        (`LightGCNBaseline.fitDataParallel`: each rank propagates its own nodes' rows, pulling its \
        neighbours' from their owners), and rank 0 makes the default `vane` method of both, as \
        `vane graph train` does in one process (`RelatedTraining.blend`): it fits the walk blend and its \
        direction anchor on the validation edges and writes the model in the files `vane graph train` \
        writes. The blend runs on rank 0 alone and holds the whole model there. --no-blend writes the \
        GNN alone (the `hybrid` method).

        Example:
          mpirun -np 4 vane-mpi train --edges ../shared/data/cora-ml.edges.tsv --out models/cora-gnn --json
        """
    )

    @OptionGroup var job: GNNJobOptions
    var edges: String { job.edges }

    @Option(help: "Model directory to write (rank 0).")
    var out: String?

    @Flag(inversion: .prefixedNo, help: "With --out, fit LightGCN and the walk blend on rank 0 and write the default `vane` model (--no-blend: the GNN alone, `hybrid`).")
    var blend = true

    @Flag(help: "Print one JSON object (rank 0).")
    var json = false

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let rank = communicator.rank
        let (graph, training, validation, partition) = try communicator.setUpOnEveryRank {
            () throws(ValidationError) -> (DirectedGraph, DirectedGraph, [DirectedGraph.Edge], GraphPartition) in
            let graph: DirectedGraph, split: EdgeSplit
            do {
                graph = try EdgeListLoader().load(path: edges).graph
                var generator = SeededGenerator(seed: job.seed)
                split = try EdgeSplit(graph: graph, validationFraction: 0.05, testFraction: 0, using: &generator)
            } catch { throw ValidationError("--edges: \(error)") }
            let training = graph.withEdges(split.training)
            do throws(PartitionError) {
                return (graph, training, split.validation, try GraphPartition.make(training, parts: communicator.size, method: job.method, seed: job.seed))
            } catch { throw ValidationError("--method: \(error.message)") }
        }
        let c = job.gnnConfiguration
        let trainer: DirectedGNNTrainer
        do { trainer = try DirectedGNNTrainer(configuration: c) } catch { throw ValidationError(error.message) }
        var context = MPIDataParallelContext(communicator: communicator, partition: partition, widths: c.embeddingWidths,
                                             seed: job.seed, learningRate: c.learningRate)
        let started = Date()
        // The blend is fitted on the GNN's model over the training graph and applied to its model over the whole graph.
        let blending = blend && out != nil
        let (models, report) = try trainer.fitDataParallel(graph: training, validation: validation, seed: job.seed,
                                                           finalGraphs: blending ? [training, graph] : [graph],
                                                           method: RelatedMethod.hybrid.rawValue, context: &context) { event in
            if rank == 0, !json, case let .epoch(epoch, loss, mrr, improved) = event {
                print(String(format: "epoch %d: loss %.4f, validation MRR %.4f%@", epoch, loss, mrr, improved ? " (best)" : ""))
            }
        }
        let seconds = Date().timeIntervalSince(started)
        var traffic = [Double](repeating: 0, count: 2 * communicator.size)
        traffic[2 * rank] = Double(communicator.bytesSent)
        traffic[2 * rank + 1] = Double(communicator.bytesReceived)
        try communicator.allreduceSum(&traffic)
        // The default's LightGCN block over the ranks (collective), after the GNN's traffic
        // is counted (the bytes per step are the GNN's) and before the peaks are read.
        var blendCache = RelatedFitCache()
        var lightGCNSeconds: Double?
        // Per rank: bytes LightGCN sent, and the remote rows of its halo (what each planned pull receives).
        var lightGCNTraffic = [Double](repeating: 0, count: 2 * communicator.size)
        if blending {
            if rank == 0, !json { print("training LightGCN over the ranks") }
            let lightGCNStarted = Date(), sentBefore = communicator.bytesSent
            do {
                blendCache = try RelatedTraining.lightGCNOverRanks(training: training, validation: validation, seed: job.seed, context: &context)
            } catch let error as RelatedError { throw ValidationError(error.message) }
            lightGCNSeconds = Date().timeIntervalSince(lightGCNStarted)
            lightGCNTraffic[2 * rank] = Double(communicator.bytesSent - sentBefore)
            lightGCNTraffic[2 * rank + 1] = Double(context.plannedRemoteRows.last ?? 0)
            try communicator.allreduceSum(&lightGCNTraffic)
        }
        var peaks = [Double](repeating: 0, count: communicator.size)
        peaks[rank] = peakResidentMegabytes()
        try communicator.allreduceSum(&peaks)
        guard rank == 0, let models, var model = models.last else { return }
        let bestMRR = report.epochs[report.bestEpoch - 1].validationMRR
        var details = ["trainer": "vane-mpi train", "ranks": "\(communicator.size)", "partition": partition.method.rawValue,
                       "gnn_seconds": String(format: "%.2f", seconds), "best_epoch": String(report.bestEpoch),
                       "validation_mrr": String(format: "%.5f", bestMRR)]
        var blendSeconds: Double?
        if blending {
            if !json { print("fitting the walk blend on rank 0") }
            let blendStarted = Date()
            do {
                let blended = try RelatedTraining.blend(.vane, gnn: (models[0], model), configuration: c, training: training,
                                                        validation: validation, servingGraph: graph, seed: job.seed, cache: blendCache)
                model = blended.model
                details.merge(blended.details) { $1 }
            } catch { throw ValidationError(error.message) }
            blendSeconds = Date().timeIntervalSince(blendStarted)
        }
        if let out {
            do { _ = try model.save(to: out, details: details) } catch { throw ValidationError("--out: \(error)") }
            peaks[0] = max(peaks[0], peakResidentMegabytes())  // rank 0's peak includes writing the model
        }
        let sent = stride(from: 0, to: traffic.count, by: 2).map { traffic[$0] }
        let steps = Double(report.epochs.count * ((training.edgeCount + report.batchSize - 1) / report.batchSize))
        if json {
            print("{\"edges_file\": \"\(edges)\", \"ranks\": \(communicator.size), \"partition\": \"\(partition.method.rawValue)\", "
                  + "\"method\": \"\(model.method)\", \"lightgcn_seconds\": \(lightGCNSeconds.map { String($0) } ?? "null"), "
                  + (blending ? "\"lightgcn_bytes_sent_per_rank\": \(stride(from: 0, to: lightGCNTraffic.count, by: 2).map { lightGCNTraffic[$0] }), "
                     + "\"lightgcn_halo_remote_rows_per_rank\": \(stride(from: 1, to: lightGCNTraffic.count, by: 2).map { lightGCNTraffic[$0] }), " : "")
                  + "\"blend_seconds\": \(blendSeconds.map { String($0) } ?? "null"), "
                  + "\"validation_mrr\": \(bestMRR), \"best_epoch\": \(report.bestEpoch), \"epochs\": \(report.epochs.count), "
                  + "\"batch_size\": \(report.batchSize), \"seconds\": \(seconds), \"bytes_sent_per_rank\": \(sent), "
                  + "\"bytes_sent_per_rank_and_step\": \(sent.map { $0 / max(1, steps) }), \"peak_resident_mb_per_rank\": \(peaks)}")
        } else {
            print(String(format: "%d ranks (%@ partition): best validation MRR %.4f at epoch %d of %d, %.1f s, %.2f MB sent per rank and step, peak memory %@ MB per rank",
                         communicator.size, partition.method.rawValue, bestMRR, report.bestEpoch, report.epochs.count, seconds,
                         sent.reduce(0, +) / Double(sent.count) / max(1, steps) / 1e6, peaks.map { String(format: "%.0f", $0) }.joined(separator: " / ")))
            if let lightGCNSeconds { print(String(format: "LightGCN over the ranks: %.1f s", lightGCNSeconds)) }
            if let blendSeconds { print(String(format: "the blend on rank 0: %.1f s", blendSeconds)) }
            if let out { print("wrote \(out) (\(model.method))") }
        }
    }
}
