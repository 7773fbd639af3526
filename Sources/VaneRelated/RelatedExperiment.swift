import Foundation
import VaneGraph
import VaneTensor

/// The evaluation protocol of SPEC.md section 1 for several methods on one graph and seed: one
/// 85/5/10 split, each method trained on the training edges (early-stopped on validation) and
/// ranked on the test edges in the same harness.
public struct RelatedExperiment: Sendable {
    /// One method's outcome.
    public struct Result: Sendable {
        public let method: RelatedMethod
        public let evaluation: LinkPredictionEvaluation
        public let trainSeconds: Double
        public let epochs: Int
        public let samplerDescription: String
        /// What fitting chose and where it spent its time (`RelatedTraining.Fitted.details`).
        public let details: [String: String]
    }

    public let graph: DirectedGraph
    public let split: EdgeSplit
    public let seed: UInt64
    /// The test edges ranked: the split's, or those of them `testEdgeFilter` kept (e.g. one relation).
    public let test: [DirectedGraph.Edge]
    /// Parts trained once and shared by the methods run on this split (see `RelatedFitCache`).
    public let cache = RelatedFitCache()

    /// `testEdgeFilter` picks the test edges that are ranked (training and validation are unchanged).
    public init(graph: DirectedGraph, seed: UInt64, testEdgeFilter: (@Sendable (DirectedGraph.Edge) -> Bool)? = nil) throws(GraphError) {
        self.graph = graph
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        let split = try EdgeSplit(graph: graph, using: &generator)
        self.split = split
        let test = testEdgeFilter.map { split.test.filter($0) } ?? split.test
        guard !test.isEmpty else { throw GraphError(.emptyGraph, "no test edge passes the filter (of \(split.test.count) test edges)") }
        self.test = test
    }

    /// Trains and evaluates `method` (blends tuned by `search`); `progress` receives the trainer's events.
    public func run(_ method: RelatedMethod, base: DirectedGNNConfiguration, search: BlendSearch = BlendSearch(),
                    progress: ((DirectedGNNTrainer.Event) -> Void)? = nil) throws(RelatedError) -> Result {
        let trainingGraph = graph.withEdges(split.training)
        let evaluator = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: trainingGraph)
        let started = Date()
        let fitted = try RelatedTraining.fit(method, base: base, training: trainingGraph, validation: split.validation,
                                             servingGraph: trainingGraph, seed: seed, search: search, cache: cache, progress: progress)
        // A part reused from an earlier method counts with the time it took to train.
        let trainSeconds = Date().timeIntervalSince(started) + fitted.reusedSeconds
        return Result(method: method, evaluation: evaluator.evaluate(fitted.model, test: test), trainSeconds: trainSeconds,
                      epochs: fitted.epochs, samplerDescription: fitted.samplerDescription, details: fitted.details)
    }
}
