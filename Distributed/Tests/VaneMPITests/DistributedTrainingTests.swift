import Foundation
import Testing
import VaneGraph
import VaneIO
import VaneRelated
import VaneTensor

/// `vane-mpi train`: 2 ranks reach the validation MRR of one process, and write a model that loads.
@Suite("Distributed training")
struct DistributedTrainingTests {
    static let cora = MPIJob.packageRoot.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/cora-ml.edges.tsv").path
    static var ready: Bool { MPIJob.available && FileManager.default.fileExists(atPath: cora) }

    func validationMRR(_ output: String) throws -> Double {
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object["validation_mrr"] as? Double)
    }

    @Test(.enabled(if: ready, "needs mpirun, a built vane-mpi and ../shared/data/cora-ml.edges.tsv"))
    func twoRanksReachTheSingleProcessValidationMRROnCora() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-mpi-train-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 6 epochs keep the debug-build test short; the full run is in docs/scale-out.md.
        let short = ["--epochs", "6", "--patience", "6"]
        let blended = directory + "-vane"
        defer { try? FileManager.default.removeItem(atPath: blended) }
        let two = try MPIJob.run(ranks: 2, ["train", "--edges", Self.cora, "--seed", "1", "--out", blended, "--json"] + short)
        #expect(two.status == 0, "\(two.output)")
        let one = try MPIJob.run(ranks: 1, ["train", "--edges", Self.cora, "--seed", "1", "--no-blend", "--out", directory, "--json"] + short)
        #expect(one.status == 0, "\(one.output)")
        // The same training on 1 and 2 ranks (draws keyed by edge and node): only float sums differ.
        let mrrTwo = try validationMRR(two.output), mrrOne = try validationMRR(one.output)
        #expect(abs(mrrTwo - mrrOne) < 0.01, "2 ranks \(mrrTwo), 1 rank \(mrrOne)")
        // Against the single-process trainer (`vane graph train`'s GNN) on the same split: another
        // draw of the same training (other negatives and neighbourhoods), so the same quality up to
        // that draw. Seeds 1-5 at 6 epochs (release builds): 2 ranks minus single process -0.010,
        // +0.008, +0.001, -0.017, -0.015 (sd 0.011), so one seed is checked to 0.025.
        let graph = try EdgeListLoader().load(path: Self.cora).graph
        var generator = SeededGenerator(seed: 1)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.05, testFraction: 0, using: &generator)
        var configuration = DirectedGNNConfiguration()
        configuration.maximumEpochs = 6
        configuration.patience = 6
        let (_, report) = try DirectedGNNTrainer(configuration: configuration)
            .fit(graph: graph.withEdges(split.training), validation: split.validation, seed: 1)
        let single = report.epochs[report.bestEpoch - 1].validationMRR
        #expect(abs(mrrTwo - single) < 0.025, "2 ranks \(mrrTwo), single process \(single)")
        // Rank 0 wrote a model over the whole graph that Vane loads and serves: with --no-blend the GNN
        // alone, else the default made of it, LightGCN trained over the ranks and the walk blend.
        let model = try RelatedItemModel.load(from: directory)
        #expect(model.itemCount == graph.nodeCount && model.method == "hybrid")
        let vane = try RelatedItemModel.load(from: blended)
        #expect(vane.itemCount == graph.nodeCount && vane.method == "vane" && !(vane.neighbourhood?.activeFeatures.isEmpty ?? true))
        #expect(vane.dimension > model.dimension, "the LightGCN block and the degree columns join the GNN's")
        // Its rows are in node order (rank 0 reassembles them from the partition's layout): it ranks
        // the validation edges at least as well as the GNN alone, far above a shuffled model's ~0.003.
        let ranked = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: graph.withEdges(split.training))
            .evaluate(vane, test: split.validation).meanReciprocalRank
        #expect(ranked > mrrTwo, "saved model MRR \(ranked), the GNN's reported \(mrrTwo)")
        // LightGCN over 2 ranks (its halo pulled through a plan made once) is LightGCN in one process
        // up to the order of float sums: it stops at the same step.
        let metadata = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: blended + "/model.json"))) as? [String: Any])
        let details = try #require(metadata["details"] as? [String: String])
        let (_, lightGCNSteps, _) = try LightGCNBaseline().fit(graph: graph.withEdges(split.training), known: graph.withEdges(split.training + split.validation), validation: split.validation,
                                                             servingGraph: graph.withEdges(split.training), seed: 1)
        #expect(details["lightgcn_best_step"] == String(lightGCNSteps), "2 ranks \(details["lightgcn_best_step"] ?? "none"), one process \(lightGCNSteps)")
        // Each rank planned its halo's pull once and reports it: rows owned by the other rank.
        let line = try #require(two.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }))
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let halo = try #require(printed["lightgcn_halo_remote_rows_per_rank"] as? [Double])
        #expect(halo.count == 2 && halo.allSatisfy { $0 > 0 && $0 < Double(graph.nodeCount) }, "\(halo)")
        #expect((printed["lightgcn_bytes_sent_per_rank"] as? [Double])?.allSatisfy { $0 > 0 } == true, "\(printed)")
    }

    /// `vane-mpi evaluate --reference`: the test metrics of `vane graph evaluate`'s protocol for the
    /// default made of the GNN trained on 2 ranks (LightGCN and the blend on rank 0), next to the
    /// one-process run on the same split, and their differences.
    @Test(.enabled(if: ready, "needs mpirun, a built vane-mpi and ../shared/data/cora-ml.edges.tsv"))
    func evaluateRanksTheTestEdgesNextToOneProcess() throws {
        let run = try MPIJob.run(ranks: 2, ["evaluate", "--edges", Self.cora, "--seed", "1", "--epochs", "3", "--patience", "3",
                                            "--reference", "--json"])
        #expect(run.status == 0, "\(run.output)")
        let line = try #require(run.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(run.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs.first?["seed"] as? Int == 1)
        let evaluation = try #require(runs.first?["evaluation"] as? [String: Any])
        let reference = try #require(runs.first?["reference"] as? [String: Any])
        let against = try #require(runs.first?["against_reference"] as? [String: Double])
        let summary = try #require((object["against_reference_over_seeds"] as? [String: [String: Double]])?["mrr"])
        #expect(summary["mean"] == against["mrr"] && summary["sd"] == 0)
        // The split of `vane graph evaluate --seed 1`: the same test edges.
        let graph = try EdgeListLoader().load(path: Self.cora).graph
        let experiment = try RelatedExperiment(graph: graph, seed: 1)
        #expect(evaluation["test_edges"] as? Int == experiment.test.count && reference["test_edges"] as? Int == experiment.test.count)
        let distributed = try #require((evaluation["methods"] as? [String: Any])?["vane"] as? [String: Any])
        let one = try #require((reference["methods"] as? [String: Any])?["vane"] as? [String: Any])
        let mrr = try #require(distributed["mrr"] as? Double), oneMRR = try #require(one["mrr"] as? Double)
        // The default's quality (P3 alone reaches ~0.25 on Cora; 3 GNN epochs here) and direction.
        #expect(mrr > 0.25 && (distributed["direction_auc"] as? Double ?? 0) > 0.8, "\(distributed)")
        #expect(abs((against["mrr"] ?? .nan) - (mrr - oneMRR)) < 1e-9)
        // Two draws of the same training: the paired difference stays within the draws' spread.
        #expect(abs(mrr - oneMRR) < 0.025, "2 ranks \(mrr), one process \(oneMRR)")
        #expect((object["peak_resident_mb_per_rank"] as? [Double])?.count == 2)
        let bad = try MPIJob.run(ranks: 1, ["evaluate", "--edges", Self.cora, "--epochs", "0"])
        #expect(bad.status != 0 && bad.output.contains("--epochs"), "\(bad.output)")
        let badSeeds = try MPIJob.run(ranks: 1, ["evaluate", "--edges", Self.cora, "--seeds", "1,x"])
        #expect(badSeeds.status != 0 && badSeeds.output.contains("--seeds"), "\(badSeeds.output)")
    }
}
