import ArgumentParser
import Foundation
import VaneGraph
import VaneMPI
import VanePartition
import VaneRelated

/// `vane-mpi evaluate`: `vane graph evaluate --methods vane`'s protocol (or `hybrid`'s, `--no-blend`) with the GNN trained over the ranks.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate the default (or its GNN alone) trained over the ranks with the link-prediction protocol of `vane graph evaluate`.",
        discussion: """
        Splits the edges 85/5/10 (train/validation/test) with the seed, as `vane graph evaluate` \
        does; partitions the training graph (one part per rank) and trains the `hybrid` method (the \
        default's GNN: hybrid structure, degree-biased sampling) with sharded embeddings, early-stopped \
        on the validation edges (RelatedExperiment.runDataParallel). Rank 0 gathers the best epoch's \
        model, makes the default `vane` method of it (LightGCN and the walk blend fitted on the \
        validation edges, on rank 0 alone, as `vane graph evaluate` fits them; --no-blend keeps the \
        GNN alone, `hybrid`) and ranks the test edges: HitRate@5/10/20, MRR, NDCG@10, direction AUC \
        and MRR by source degree, the metrics and JSON shape of `vane graph evaluate`.

        --seeds 1,2,3 repeats it per seed (each its own split, partition and training). \
        --reference: rank 0 then trains the same method in one process on the same split (what \
        `vane graph evaluate --methods vane --seed S` reports; its LightGCN is the one the distributed \
        run fitted, the same on one split and seed) and prints the paired differences, distributed \
        minus one process. The two GNNs are different draws of the same training (other negatives and \
        neighbourhoods): compare them over several seeds (the JSON's against_reference_over_seeds: mean and sd).

        Example:
          mpirun -np 2 vane-mpi evaluate --edges ../shared/data/cora-ml.edges.tsv --seeds 1,2,3 --reference --json
        """
    )

    @OptionGroup var job: GNNJobOptions

    @Flag(inversion: .prefixedNo, help: "Fit LightGCN and the walk blend on rank 0 and evaluate the default `vane` (--no-blend: the GNN alone, `hybrid`).")
    var blend = true

    @Flag(help: "Also train the method in one process on rank 0 and report the paired differences.")
    var reference = false

    @Flag(help: "Print one JSON object (rank 0).")
    var json = false

    @Option(help: "Comma-separated seeds (e.g. 1,2,3): one split and training per seed, and the mean ± sd of the paired differences; overrides --seed.")
    var seeds: CommaSeparated<UInt64>?

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let rank = communicator.rank
        let seedList = seeds?.values ?? [job.seed]
        let graph = try communicator.setUpOnEveryRank { () throws(ValidationError) -> DirectedGraph in
            do { return try EdgeListLoader().load(path: job.edges).graph } catch { throw ValidationError("--edges: \(error)") }
        }
        let c = job.gnnConfiguration
        do { try c.validate() } catch { throw ValidationError(error.message) }
        let method: RelatedMethod = blend ? .vane : .hybrid
        let dataset = URL(fileURLWithPath: job.edges).lastPathComponent
        var runs: [DistributedEvaluationOutput.Run] = []
        for seed in seedList {
            let (experiment, partition) = try communicator.setUpOnEveryRank {
                () throws(ValidationError) -> (RelatedExperiment, GraphPartition) in
                let experiment: RelatedExperiment
                do { experiment = try RelatedExperiment(graph: graph, seed: seed) } catch { throw ValidationError("--edges: \(error)") }
                do throws(PartitionError) {
                    let training = graph.withEdges(experiment.split.training)
                    return (experiment, try GraphPartition.make(training, parts: communicator.size, method: job.method, seed: seed))
                } catch { throw ValidationError("--method: \(error.message)") }
            }
            var context = MPIDataParallelContext(communicator: communicator, partition: partition,
                                                 widths: RelatedMethod.hybrid.configuration(base: c)!.embeddingWidths,
                                                 seed: seed, learningRate: c.learningRate)
            let result = try experiment.runDataParallel(method, base: c, context: &context) { event in
                if rank == 0, !json, case let .epoch(epoch, loss, mrr, improved) = event {
                    print(String(format: "seed %llu epoch %d: loss %.4f, validation MRR %.4f%@", seed, epoch, loss, mrr, improved ? " (best)" : ""))
                }
            }
            guard rank == 0, let result else { continue }
            let one = try reference ? experiment.run(method, base: c) : nil
            let run = DistributedEvaluationOutput.Run(
                seed: seed, evaluation: RelatedEvaluationReport(dataset: dataset, graph: graph, results: [result]),
                reference: one.map { RelatedEvaluationReport(dataset: dataset, graph: graph, results: [$0]) },
                againstReference: one.map { DistributedEvaluationOutput.difference(result.evaluation, minus: $0.evaluation) })
            runs.append(run)
            if !json { printRun(result, one, difference: run.againstReference, ranks: communicator.size, seed: seed, testEdges: experiment.test.count, graph: graph) }
        }
        var peaks = [Double](repeating: 0, count: communicator.size)
        peaks[rank] = peakResidentMegabytes()
        try communicator.allreduceSum(&peaks)
        guard rank == 0 else { return }
        let output = DistributedEvaluationOutput(dataset: dataset, ranks: communicator.size, partition: job.method.rawValue,
                                                 runs: runs, peakResidentMBPerRank: peaks)
        if json {
            try printOneLineJSON(output)
        } else if let summary = output.againstReferenceSummary, runs.count > 1 {
            print("over seeds \(seedList.map(String.init).joined(separator: ",")), \(communicator.size) ranks minus one process: "
                  + ["hit@10", "mrr", "direction_auc"].compactMap { key in
                      summary[key].map { String(format: "%@ %+.4f ± %.4f", key, $0.mean, $0.sd) }
                  }.joined(separator: ", "))
        }
    }

    private func printRun(_ result: RelatedExperiment.Result, _ one: RelatedExperiment.Result?, difference: [String: Double]?, ranks: Int,
                          seed: UInt64, testEdges: Int, graph: DirectedGraph) {
        print("\(URL(fileURLWithPath: job.edges).lastPathComponent): \(graph.nodeCount) nodes, \(graph.edgeCount) edges; seed \(seed); \(testEdges) test edges")
        print("run                   hit@10  MRR     dirAUC  train s")
        func line(_ name: String, _ r: RelatedExperiment.Result) {
            let e = r.evaluation
            print(name.padding(toLength: 21, withPad: " ", startingAt: 0)
                  + String(format: " %.4f  %.4f  %@  %.1f", e.hitRateAt10, e.meanReciprocalRank,
                           (e.directionAUC.map { String(format: "%.4f", $0) } ?? "  -   ") as NSString, r.trainSeconds))
        }
        line("\(result.method.rawValue), \(ranks) ranks", result)
        if let one, let d = difference {
            line("\(one.method.rawValue), one process", one)
            print(String(format: "difference            %+.4f  %+.4f  %@", d["hit@10"]!, d["mrr"]!,
                         (d["direction_auc"].map { String(format: "%+.4f", $0) } ?? "  -   ") as NSString))
        }
    }
}

/// `vane-mpi evaluate --json`: per seed, the distributed run's `vane graph evaluate` report, the
/// one-process reference's (with --reference) and the paired differences (distributed minus
/// reference); over seeds, the differences' mean and sample sd.
struct DistributedEvaluationOutput: Encodable {
    struct Run: Encodable {
        let seed: UInt64
        let evaluation: RelatedEvaluationReport
        let reference: RelatedEvaluationReport?
        let againstReference: [String: Double]?
        enum CodingKeys: String, CodingKey { case seed, evaluation, reference, againstReference = "against_reference" }
    }
    struct Spread: Encodable { let mean: Double, sd: Double }

    let dataset: String
    let ranks: Int
    let partition: String
    let runs: [Run]
    let peakResidentMBPerRank: [Double]

    /// Mean and sample sd (0 for one seed) over seeds of each paired difference; nil without --reference.
    var againstReferenceSummary: [String: Spread]? {
        let differences = runs.compactMap(\.againstReference)
        guard !differences.isEmpty, differences.count == runs.count else { return nil }
        var summary: [String: Spread] = [:]
        for key in differences[0].keys {
            let values = differences.compactMap { $0[key] }
            guard values.count == differences.count else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.count > 1 ? values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1) : 0
            summary[key] = Spread(mean: mean, sd: variance.squareRoot())
        }
        return summary
    }

    enum CodingKeys: String, CodingKey {
        case dataset, ranks, partition, runs, againstReferenceSummary = "against_reference_over_seeds"
        case peakResidentMBPerRank = "peak_resident_mb_per_rank"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(ranks, forKey: .ranks)
        try container.encode(partition, forKey: .partition)
        try container.encode(runs, forKey: .runs)
        try container.encodeIfPresent(againstReferenceSummary, forKey: .againstReferenceSummary)
        try container.encode(peakResidentMBPerRank, forKey: .peakResidentMBPerRank)
    }

    static func difference(_ a: LinkPredictionEvaluation, minus b: LinkPredictionEvaluation) -> [String: Double] {
        var d = ["hit@5": a.hitRateAt5 - b.hitRateAt5, "hit@10": a.hitRateAt10 - b.hitRateAt10, "hit@20": a.hitRateAt20 - b.hitRateAt20,
                 "mrr": a.meanReciprocalRank - b.meanReciprocalRank, "ndcg@10": a.ndcgAt10 - b.ndcgAt10]
        if let x = a.directionAUC, let y = b.directionAUC { d["direction_auc"] = x - y }
        return d
    }
}
