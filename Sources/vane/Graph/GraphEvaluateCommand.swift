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
        Protocol: edges are split 85/5/10 (train/validation/test) with a seeded shuffle that keeps every \
        node connected where possible. Each method trains on the training edges, early-stops on \
        validation MRR, then ranks each test edge's target among all items except the source and its \
        other known targets (ties at half rank). Reported: HitRate@5/10/20, MRR, direction AUC \
        (score(u->v) > score(v->u) on one-way test edges), HitRate@10/MRR by source degree bucket, \
        and in the JSON direction AUC by the smaller endpoint's training degree (direction_by_degree).

        Methods: popularity (in-degree), springrank (phi_u - phi_v, the SpringRank potentials: one \
        list for every source, the reference for direction), p3 (RP3beta item-item walks, beta on validation), ease \
        (closed-form item-item regression, lambda on validation; graphs up to 12,000 nodes), lightgcn \
        (LightGCN over the undirected graph, 3 layers), symmetric (single-embedding GraphSAGE), \
        uniform (dual embeddings, uniform fan-out), blade (dual embeddings, degree-biased sampling \
        with 2-hop fill), hybrid (symmetric + dual GNN parts), walks (walk features and degrees \
        blended on validation, no embeddings), hybrid+walks (vane without its LightGCN part), vane \
        (the default: hybrid GNN parts, LightGCN embeddings, degrees, SpringRank potentials and walk \
        features blended on validation with a direction loss; walks, hybrid+walks and vane add a share of \
        the SpringRank order to their direction, chosen out of fold on validation, which changes no \
        source's ranking).

        --relations keeps only edges of the listed relations (third column) for everything; \
        --relation R trains on every kept edge but ranks only the test edges of relation R.

        With --seeds, each seed gets its own split and the table shows mean ± sd over seeds, and \
        the JSON adds each method's paired MRR difference against the strongest other method and \
        against the strongest baseline.

        Examples:
          vane graph evaluate --edges ../shared/data/cora-ml.edges.tsv --seed 1 --json
          vane graph evaluate --edges ../shared/data/citeseer.edges.tsv --seeds 1,2,3 --methods p3,walks,vane
        """
    )

    @OptionGroup var input: EdgeInputOptions
    var edges: String { input.edges }

    @Option(help: "Comma-separated methods: \(RelatedMethod.allCases.map(\.rawValue).joined(separator: ",")). The default runs the baselines a practitioner tries first, the two ablations hybrid and walks, and vane; ease is skipped, saying so, above 12,000 nodes.")
    var methods = RelatedMethod.defaults.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seed of the split, the initialisation and the sampling.")
    var seed: UInt64 = 1

    @Option(help: "Comma-separated seeds (e.g. 1,2,3): repeat the protocol per seed and report mean ± sd; overrides --seed.")
    var seeds: SeedList?

    @Option(help: "Rank only the test edges of this relation (third column), e.g. bought_together; training uses every kept edge.")
    var relation: String?

    @OptionGroup var model: GNNOptions

    @OptionGroup var tuning: TuningOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        var methodList: [RelatedMethod]
        do { methodList = try RelatedMethod.parseList(methods) } catch { throw ValidationError("--methods: \(error.message)") }
        let base = try model.configuration()
        let search = try tuning.search()
        let (graph, report) = try input.load(recordingRelations: relation != nil)
        var testEdgeFilter: (@Sendable (DirectedGraph.Edge) -> Bool)?
        if let relation {
            do { testEdgeFilter = try report.edgeFilter(relation: relation) } catch { throw ValidationError("--relation: \(error.message)") }
        }
        for method in methodList where !method.runs(onNodes: graph.nodeCount) {
            FileHandle.standardError.write(Data("skipping \(method.rawValue): it runs on graphs of at most \(EASEBaseline.maximumItems) nodes, this one has \(graph.nodeCount)\n".utf8))
        }
        methodList = methodList.filter { $0.runs(onNodes: graph.nodeCount) }
        if let seeds { return try runSweep(graph: graph, seeds: seeds.values, methods: methodList, base: base, search: search, testEdgeFilter: testEdgeFilter) }
        let experiment = try RelatedExperiment(graph: graph, seed: seed, testEdgeFilter: testEdgeFilter)
        var results: [RelatedExperiment.Result] = []
        for method in methodList {
            let bar = ProgressBar(method.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                                  total: base.epochCap(trainingEdges: experiment.split.training.count))
            let result = try experiment.run(method, base: base, search: search) { event in
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
            try printJSON(RelatedEvaluationReport(dataset: dataset, graph: graph, results: results))
            return
        }
        print("\(dataset): \(graph.nodeCount) nodes, \(graph.edgeCount) edges; seed \(seed); \(experiment.test.count) test edges")
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

extension GraphEvaluateCommand {
    func runSweep(graph: DirectedGraph, seeds: [UInt64], methods: [RelatedMethod], base: DirectedGNNConfiguration, search: BlendSearch,
                  testEdgeFilter: (@Sendable (DirectedGraph.Edge) -> Bool)?) throws {
        var bar: ProgressBar?
        // Every seed's split holds out the same share of edges (85% train), so one cap for the bars.
        let epochCap = base.epochCap(trainingEdges: graph.edgeCount * 85 / 100)
        let sweep = try RelatedSweep.run(graph: graph, seeds: seeds, methods: methods, base: base, search: search, testEdgeFilter: testEdgeFilter) { seed, method, event in
            guard let event else {
                bar?.finish(status: "done")
                bar = ProgressBar("seed \(seed) \(method.rawValue)".padding(toLength: 18, withPad: " ", startingAt: 0), total: epochCap)
                return
            }
            if case .epoch(_, _, let mrr, _) = event { bar?.advance(status: String(format: "val MRR %.4f", mrr)) }
        }
        bar?.finish(status: "done")
        let dataset = URL(fileURLWithPath: edges).lastPathComponent
        let output = RelatedSweepOutput(dataset: dataset, graph: graph, sweep: sweep, methods: methods)
        if json { return try printJSON(output) }
        print("\(dataset): \(graph.nodeCount) nodes, \(graph.edgeCount) edges; seeds \(seeds.map(String.init).joined(separator: ",")); mean ± sd")
        print("method       hit@10          MRR             dirAUC          deg-1 hit@10    MRR - strongest other (wins)")
        for method in methods {
            guard let m = output.methods[method.rawValue] else { continue }
            let cells = [m.hit10, m.mrr, m.directionAUC, m.degreeOneHit10].map { $0?.formatted() ?? "-" }
            let paired = m.pairedMRR.map { String(format: "%+.3f ± %.3f vs %@ (%d/%d)", $0.difference.mean, $0.difference.standardDeviation,
                                                  $0.against as NSString, $0.wins, seeds.count) } ?? ""
            print(method.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + " "
                  + cells.map { $0.padding(toLength: 15, withPad: " ", startingAt: 0) }.joined(separator: " ") + " " + paired)
        }
    }
}

