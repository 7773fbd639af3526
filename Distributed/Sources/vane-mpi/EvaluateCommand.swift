import ArgumentParser
import Foundation
import VaneGraph
import VaneMPI
import VanePartition
import VaneRelated

/// `vane-mpi evaluate`: `vane graph evaluate --methods hybrid`'s protocol with the GNN trained over the ranks.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate the directed GNN trained over the ranks with the link-prediction protocol of `vane graph evaluate`.",
        discussion: """
        Splits the edges 85/5/10 (train/validation/test) with the seed, as `vane graph evaluate`
        does; partitions the training graph (one part per rank) and trains the `hybrid` method (the
        default's GNN: hybrid structure, degree-biased sampling) with sharded embeddings, early-stopped
        on the validation edges (RelatedExperiment.runDataParallel). Rank 0 gathers the best epoch's
        model and ranks the test edges: HitRate@5/10/20, MRR, NDCG@10, direction AUC and MRR by
        source degree, the metrics and JSON shape of `vane graph evaluate`.

        --reference: rank 0 then trains the same method in one process on the same split (what
        `vane graph evaluate --methods hybrid --seed S` reports) and prints the paired differences,
        distributed minus one process. The two are different draws of the same training (other
        negatives and neighbourhoods): compare them over several seeds.

        Example:
          mpirun -np 2 vane-mpi evaluate --edges ../shared/data/cora-ml.edges.tsv --seed 1 --reference --json
        """
    )

    @OptionGroup var job: GNNJobOptions

    @Flag(help: "Also train the method in one process on rank 0 and report the paired differences.")
    var reference = false

    @Flag(help: "Print one JSON object (rank 0).")
    var json = false

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let rank = communicator.rank
        let (experiment, partition) = try communicator.setUpOnEveryRank {
            () throws(ValidationError) -> (RelatedExperiment, GraphPartition) in
            let experiment: RelatedExperiment
            do { experiment = try RelatedExperiment(graph: try EdgeListLoader().load(path: job.edges).graph, seed: job.seed) }
            catch { throw ValidationError("--edges: \(error)") }
            do throws(PartitionError) {
                let training = experiment.graph.withEdges(experiment.split.training)
                return (experiment, try GraphPartition.make(training, parts: communicator.size, method: job.method, seed: job.seed))
            } catch { throw ValidationError("--method: \(error.message)") }
        }
        let c = job.gnnConfiguration
        do { try c.validate() } catch { throw ValidationError(error.message) }
        var context = MPIDataParallelContext(communicator: communicator, partition: partition,
                                             widths: RelatedMethod.hybrid.configuration(base: c)!.embeddingWidths,
                                             seed: job.seed, learningRate: c.learningRate)
        let result = try experiment.runDataParallel(base: c, context: &context) { event in
            if rank == 0, !json, case let .epoch(epoch, loss, mrr, improved) = event {
                print(String(format: "epoch %d: loss %.4f, validation MRR %.4f%@", epoch, loss, mrr, improved ? " (best)" : ""))
            }
        }
        var peaks = [Double](repeating: 0, count: communicator.size)
        peaks[rank] = peakResidentMegabytes()
        try communicator.allreduceSum(&peaks)
        guard rank == 0, let result else { return }
        let dataset = URL(fileURLWithPath: job.edges).lastPathComponent
        let one = try reference ? experiment.run(.hybrid, base: c) : nil
        let output = DistributedEvaluationOutput(
            ranks: communicator.size, partition: partition.method.rawValue, seed: job.seed,
            evaluation: RelatedEvaluationReport(dataset: dataset, graph: experiment.graph, results: [result]),
            reference: one.map { RelatedEvaluationReport(dataset: dataset, graph: experiment.graph, results: [$0]) },
            againstReference: one.map { DistributedEvaluationOutput.difference(result.evaluation, minus: $0.evaluation) },
            peakResidentMBPerRank: peaks)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
            return
        }
        print("\(dataset): \(experiment.graph.nodeCount) nodes, \(experiment.graph.edgeCount) edges; seed \(job.seed); \(experiment.test.count) test edges")
        print("run                   hit@10  MRR     dirAUC  train s")
        func line(_ name: String, _ r: RelatedExperiment.Result) {
            let e = r.evaluation
            print(name.padding(toLength: 21, withPad: " ", startingAt: 0)
                  + String(format: " %.4f  %.4f  %@  %.1f", e.hitRateAt10, e.meanReciprocalRank,
                           (e.directionAUC.map { String(format: "%.4f", $0) } ?? "  -   ") as NSString, r.trainSeconds))
        }
        line("hybrid, \(communicator.size) ranks", result)
        if let one {
            line("hybrid, one process", one)
            let d = output.againstReference!
            print(String(format: "difference            %+.4f  %+.4f  %@", d["hit@10"]!, d["mrr"]!,
                         (d["direction_auc"].map { String(format: "%+.4f", $0) } ?? "  -   ") as NSString))
        }
    }
}

/// `vane-mpi evaluate --json`: the distributed run's `vane graph evaluate` report, the one-process
/// reference's (with --reference) and the paired differences (distributed minus reference).
struct DistributedEvaluationOutput: Encodable {
    let ranks: Int
    let partition: String
    let seed: UInt64
    let evaluation: RelatedEvaluationReport
    let reference: RelatedEvaluationReport?
    let againstReference: [String: Double]?
    let peakResidentMBPerRank: [Double]

    enum CodingKeys: String, CodingKey {
        case ranks, partition, seed, evaluation, reference, againstReference = "against_reference"
        case peakResidentMBPerRank = "peak_resident_mb_per_rank"
    }

    static func difference(_ a: LinkPredictionEvaluation, minus b: LinkPredictionEvaluation) -> [String: Double] {
        var d = ["hit@5": a.hitRateAt5 - b.hitRateAt5, "hit@10": a.hitRateAt10 - b.hitRateAt10, "hit@20": a.hitRateAt20 - b.hitRateAt20,
                 "mrr": a.meanReciprocalRank - b.meanReciprocalRank, "ndcg@10": a.ndcgAt10 - b.ndcgAt10]
        if let x = a.directionAUC, let y = b.directionAUC { d["direction_auc"] = x - y }
        return d
    }
}
