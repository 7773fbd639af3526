import ArgumentParser
import Foundation
import VaneGraph
import VaneRelated

/// `vane graph evaluate`: the SPEC.md link-prediction protocol for several methods on one graph.
struct GraphEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare related-item methods on held-out edges of a directed graph.",
        discussion: """
        Protocol: edges are split 85/5/10 (train/validation/test) with a seeded shuffle that keeps every
        node connected where possible. Each method trains on the training edges, early-stops on
        validation MRR, then ranks each test edge's target among all items except the source and its
        other known targets (ties at half rank). Reported: HitRate@5/10/20, MRR, direction AUC
        (score(u->v) > score(v->u) on one-way test edges) and HitRate@10/MRR by source degree bucket.

        Methods: popularity (in-degree), symmetric (single-embedding GraphSAGE), uniform (dual
        embeddings, uniform fan-out), blade (dual embeddings, degree-biased sampling with 2-hop fill),
        vane (symmetric + dual parts, degree-biased sampling).

        Example:
          vane graph evaluate --edges ../shared/data/cora-ml.edges.tsv --seed 1 --json
        """
    )

    @Option(help: "Edge list file (TSV/CSV, optionally .gz).")
    var edges: String

    @Option(help: "Comma-separated methods: \(RelatedMethod.allCases.map(\.rawValue).joined(separator: ",")).")
    var methods = RelatedMethod.defaults.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seed of the split, the initialisation and the sampling.")
    var seed: UInt64 = 1

    @OptionGroup var model: GNNOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let methodList: [RelatedMethod]
        do { methodList = try RelatedMethod.parseList(methods) } catch { throw ValidationError("--methods: \(error.message)") }
        let base = try model.configuration()
        let (graph, _) = try EdgeListLoader().load(path: edges)
        let experiment = try RelatedExperiment(graph: graph, seed: seed)
        var results: [RelatedExperiment.Result] = []
        for method in methodList {
            let bar = ProgressBar(method.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0), total: base.maximumEpochs)
            let result = try experiment.run(method, base: base) { event in
                if case .epoch(_, let loss, let mrr, _) = event {
                    bar.advance(status: String(format: "loss %.4f  val MRR %.4f", loss, mrr))
                }
            }
            bar.finish(status: String(format: "%d epochs, %.1fs, test MRR %.4f", result.epochs, result.trainSeconds,
                                      result.evaluation.meanReciprocalRank))
            results.append(result)
        }
        let dataset = URL(fileURLWithPath: edges).lastPathComponent
        if json {
            try printJSON(RelatedEvaluationOutput(dataset: dataset, graph: graph, results: results))
            return
        }
        print("\(dataset): \(graph.nodeCount) nodes, \(graph.edgeCount) edges; seed \(seed); \(experiment.split.test.count) test edges")
        print("method       hit@5   hit@10  hit@20  MRR     dirAUC  | MRR by source degree 1 / 2-4 / 5-16 / 17+   train s")
        for result in results {
            let e = result.evaluation
            let buckets = LinkPredictionEvaluator.degreeBuckets.map { bucket in
                e.byDegree[bucket.label].map { String(format: "%.3f", $0.meanReciprocalRank) } ?? "  -  "
            }.joined(separator: " ")
            print(result.method.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: " %.4f  %.4f  %.4f  %.4f  %@  | %@   %.1f",
                         e.hitRateAt5, e.hitRateAt10, e.hitRateAt20, e.meanReciprocalRank,
                         (e.directionAUC.map { String(format: "%.4f", $0) } ?? "  -   ") as NSString, buckets as NSString, result.trainSeconds))
        }
    }
}

/// The `--json` shape of `vane graph evaluate` (the contract of issue 3).
struct RelatedEvaluationOutput: Encodable {
    struct Bucket: Encodable {
        let hit10: Double, mrr: Double, queries: Int
        enum CodingKeys: String, CodingKey { case hit10 = "hit@10", mrr, queries }
    }
    struct Method: Encodable {
        let hit5: Double, hit10: Double, hit20: Double, mrr: Double, ndcg10: Double
        let directionAUC: Double?
        let byDegree: [String: Bucket]
        let trainSeconds: Double
        let epochs: Int
        let sampler: String
        enum CodingKeys: String, CodingKey {
            case hit5 = "hit@5", hit10 = "hit@10", hit20 = "hit@20", mrr, ndcg10 = "ndcg@10"
            case directionAUC = "direction_auc", byDegree = "by_degree", trainSeconds = "train_seconds", epochs, sampler
        }
    }
    let dataset: String
    let nodes: Int
    let edges: Int
    let testEdges: Int
    let methods: [String: Method]
    enum CodingKeys: String, CodingKey { case dataset, nodes, edges, testEdges = "test_edges", methods }

    init(dataset: String, graph: DirectedGraph, results: [RelatedExperiment.Result]) {
        self.dataset = dataset
        nodes = graph.nodeCount
        edges = graph.edgeCount
        testEdges = results.first?.evaluation.queries ?? 0
        var methods: [String: Method] = [:]
        for result in results {
            let e = result.evaluation
            methods[result.method.rawValue] = Method(
                hit5: e.hitRateAt5, hit10: e.hitRateAt10, hit20: e.hitRateAt20, mrr: e.meanReciprocalRank, ndcg10: e.ndcgAt10,
                directionAUC: e.directionAUC,
                byDegree: e.byDegree.mapValues { Bucket(hit10: $0.hitRateAt10, mrr: $0.meanReciprocalRank, queries: $0.queries) },
                trainSeconds: result.trainSeconds, epochs: result.epochs, sampler: result.samplerDescription)
        }
        self.methods = methods
    }
}
