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
    }

    public let graph: DirectedGraph
    public let split: EdgeSplit
    public let seed: UInt64

    public init(graph: DirectedGraph, seed: UInt64) throws(GraphError) {
        self.graph = graph
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        split = try EdgeSplit(graph: graph, using: &generator)
    }

    /// Trains and evaluates `method`; `progress` receives the trainer's events.
    public func run(_ method: RelatedMethod, base: DirectedGNNConfiguration,
                    progress: ((DirectedGNNTrainer.Event) -> Void)? = nil) throws(RelatedError) -> Result {
        let trainingGraph = graph.withEdges(split.training)
        let evaluator = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: trainingGraph)
        let started = Date()
        let fitted = try RelatedTraining.fit(method, base: base, training: trainingGraph, validation: split.validation,
                                             servingGraph: trainingGraph, seed: seed, progress: progress)
        let trainSeconds = Date().timeIntervalSince(started)
        return Result(method: method, evaluation: evaluator.evaluate(fitted.model, test: split.test), trainSeconds: trainSeconds,
                      epochs: fitted.epochs, samplerDescription: fitted.samplerDescription)
    }
}
