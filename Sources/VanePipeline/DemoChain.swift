import Foundation
import VaneTensor
import VaneConversions
import VaneDecisions
import VaneGraph
import VaneLinear
import VaneRelated
import VaneTabular

/// The whole chain of SPEC.md on real data: the directed-graph model proposes related items, a
/// conversion model trained under delayed feedback scores clicks on them, and an uncertainty-aware
/// policy decides what to show. Each stage is a library call; this type only wires them.
public struct DemoChain: Sendable {
    public struct Configuration: Sendable {
        /// Small and fast (Cora-ML, fewer clicks) instead of the Amazon co-purchase graph.
        public var quick = false
        public var dataDirectory = "../shared/data"
        public var outputDirectory = "vane-demo"
        public var seed: UInt64 = 1
        /// Caps the graph model's epochs (tests use a small cap; nil keeps the defaults).
        public var maximumEpochs: Int?
        public init() {}
    }

    /// Everything the report shows.
    public struct Outcome: Sendable {
        public var dataset = ""
        public var graphNodes = 0
        public var graphEdges = 0
        public var relatedResults: [RelatedExperiment.Result] = []
        public var examples: [(item: String, recommendations: [(item: String, score: Float)])] = []
        /// Readable names (product titles) of the items in `examples`, where the data has them.
        public var titles: [String: String] = [:]
        public var clicks = 0
        public var conversions = 0
        public var replay: StreamReplay.Result?
        public var decisions: DecisionExperiment.Outcome?
        public var decisionTarget = 0.0
        public var stageSeconds: [(String, Double)] = []
        public var modelDirectory = ""
        public var conversionModelDirectory = ""
        public var policyPath = ""
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Runs every stage; `stage` is called with a description as each begins.
    public func run(stage: (String) -> Void) throws -> Outcome {
        let c = configuration
        var outcome = Outcome()
        var clock = Date()
        func finish(_ name: String) {
            outcome.stageSeconds.append((name, Date().timeIntervalSince(clock)))
            clock = Date()
        }
        try FileManager.default.createDirectory(atPath: c.outputDirectory, withIntermediateDirectories: true)

        // 1. Related items on the real graph.
        let file = c.quick ? "cora-ml.edges.tsv" : "amazon-meta-similar-50k.edges.tsv.gz"
        outcome.dataset = file
        stage("1/4 related items: evaluating popularity, p3 and vane on \(file)")
        let (graph, _) = try EdgeListLoader().load(path: (c.dataDirectory as NSString).appendingPathComponent(file))
        outcome.graphNodes = graph.nodeCount
        outcome.graphEdges = graph.edgeCount
        var base = DirectedGNNConfiguration()
        if !c.quick {
            base.maximumEpochs = 10
            base.patience = 2
        }
        if let cap = c.maximumEpochs { base.maximumEpochs = min(base.maximumEpochs, cap) }
        let experiment = try RelatedExperiment(graph: graph, seed: c.seed)
        outcome.relatedResults = try [RelatedMethod.popularity, .p3, .vane].map { try experiment.run($0, base: base) }
        finish("related items: evaluation")
        stage("1/4 related items: training the model on all edges")
        let fitted = try RelatedTraining.fitForServing(.vane, base: base, graph: graph, seed: c.seed)
        let model = fitted.model
        var generator = SeededGenerator(seed: c.seed)
        outcome.modelDirectory = (c.outputDirectory as NSString).appendingPathComponent("related-model")
        let fingerprint = try model.save(to: outcome.modelDirectory, details: fitted.details.merging(["edges_file": file]) { $1 })
        // The top-targets index `vane serve` answers from; its lists also give the clicks below.
        let index = try RelatedItemIndex(model: model, count: 100, modelFingerprint: fingerprint)
        try index.write(toModelDirectory: outcome.modelDirectory)
        // Titles of the products (the Amazon graph's node file), when present.
        let nodesPath = (c.dataDirectory as NSString).appendingPathComponent(file.replacingOccurrences(of: ".edges.", with: ".nodes."))
        let attributes = FileManager.default.fileExists(atPath: nodesPath) && nodesPath.hasSuffix(".nodes.tsv.gz") ? try NodeAttributeTable(path: nodesPath) : nil
        // Featured: the four most linked-to items that have an out-edge (and a title, where titles exist).
        let featured = (0..<Int32(graph.nodeCount))
            .filter { graph.outDegree(of: $0) > 0 && (attributes == nil || attributes!.label(of: graph.nodeNames[Int($0)]) != nil) }
            .sorted { (graph.inDegree(of: $0), $1) > (graph.inDegree(of: $1), $0) }
            .prefix(4).map { graph.nodeNames[Int($0)] }
        outcome.examples = try featured.map { name in (name, try model.recommend(for: name, count: 5)) }
        if let attributes {
            for example in outcome.examples {
                for name in [example.item] + example.recommendations.map(\.item) { outcome.titles[name] = attributes.label(of: name) }
            }
        }
        finish("related items: final model")

        // 2. Clicks on recommendations, conversions with delays, delayed-feedback training.
        stage("2/4 conversions: simulating clicks on recommendations and replaying them hour by hour")
        var sources = (0..<Int32(graph.nodeCount)).filter { graph.outDegree(of: $0) > 0 }
        sources.seededShuffle(using: &generator)
        let sampled = Array(sources.prefix(c.quick ? 300 : 2000))
        var pairs: [RecommendationClickSimulator.Pair] = []
        for source in sampled {
            for entry in index.storedTargets(of: source).prefix(10) {
                pairs.append(.init(source: graph.nodeNames[Int(source)], target: graph.nodeNames[Int(entry.index)], score: entry.score))
            }
        }
        let simulator = RecommendationClickSimulator(pairs: pairs, clicks: c.quick ? 60_000 : 300_000, days: 30)
        let clicks = simulator.table(seed: c.seed)
        outcome.clicks = clicks.rowCount
        if case .numeric(let converted) = clicks.columns[try clicks.columnIndex(named: "converted")] {
            outcome.conversions = Int(converted.reduce(0, +))
        }
        let log = try ClickLog.fromTable(clicks.keepingColumns(["click_time", "conversion_time", "cart_time", "source", "target", "recommender_score"]),
                                         hashBuckets: 1 << 16)
        outcome.replay = try StreamReplay().run(log, methods: [.vanilla, .oracle, .esdfm, .engagement], seed: c.seed)
        finish("conversions: simulation and replay")

        // 3. Uncertainty-aware decisions on a later window.
        stage("3/4 decisions: fitting thresholds on a validation window, testing on a later one")
        var settings = DecisionExperiment.Settings()
        settings.estimator = .laplace
        settings.split = .time(column: "click_time")
        settings.precisionTargets = [0.3, 0.4, 0.5]
        // As `vane thresholds evaluate` by default: Learn then Test on the later half of validation.
        settings.riskControl = .init()
        let decisionTable = try clicks.keepingColumns(["click_time", "converted", "source", "target", "recommender_score"])
        let decisions = try DecisionExperiment(table: decisionTable, labelColumn: "converted", positive: "1", settings: settings)
        outcome.decisions = try decisions.run(seed: c.seed)
        outcome.decisionTarget = 0.4
        // The served pair: a conversion model trained (engagement-aware, through the replay) on the
        // first 80% of the time span, and a MIST policy fitted on its scores and uncertainties over
        // the last 20%, which it never saw. `vane serve` loads both.
        guard case .numeric(let clickTimes) = clicks.columns[try clicks.columnIndex(named: "click_time")],
              case .numeric(let converted) = clicks.columns[try clicks.columnIndex(named: "converted")] else {
            throw ConversionError(.invalidInput, "simulated clicks lack numeric click_time or converted columns")
        }
        let splitTime = (clickTimes.min()! + 0.8 * (clickTimes.max()! - clickTimes.min()!))
        let fittingRows = clicks.rowCount == 0 ? [] : (0..<clicks.rowCount).filter { clickTimes[$0] < splitTime }
        let validationRows = (0..<clicks.rowCount).filter { clickTimes[$0] >= splitTime }
        let servedColumns = ["click_time", "conversion_time", "cart_time", "source", "target", "recommender_score"]
        let served = try StreamReplay().train(ClickLog.fromTable(clicks.keepingColumns(servedColumns).selectingRows(fittingRows), hashBuckets: 1 << 16),
                                              method: .engagement, seed: c.seed)
        outcome.conversionModelDirectory = (c.outputDirectory as NSString).appendingPathComponent("conversion-model")
        try served.save(to: outcome.conversionModelDirectory)
        let validationFeatures = try served.encoder.encode(clicks, rows: validationRows)
        let predictions = (0..<validationRows.count).map { served.predict(features: validationFeatures, row: $0) }
        // Learn then Test: learned on the earlier half of that window, tested on its later half, so the
        // served policy keeps precision >= target on new clicks with probability >= 0.9.
        let (policy, _) = try ThresholdPolicyFitter(targetPrecision: outcome.decisionTarget)
            .fitLearnThenTest(.mist, on: ScoredExamples(scores: predictions.map(\.probability), uncertainties: predictions.map(\.uncertainty),
                                                        labels: validationRows.map { converted[$0] == 1 }))
        outcome.policyPath = (c.outputDirectory as NSString).appendingPathComponent("policy.json")
        try policy.jsonData().write(to: URL(fileURLWithPath: outcome.policyPath), options: .atomic)
        finish("decisions")
        return outcome
    }
}
