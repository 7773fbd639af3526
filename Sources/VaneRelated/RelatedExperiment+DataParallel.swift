import Foundation
import VaneGraph

extension RelatedExperiment {
    /// The `hybrid` method of this experiment (the default's GNN part: hybrid structure,
    /// degree-biased sampling) trained data-parallel over `context` instead of in one process, then
    /// evaluated under the same protocol: trained on the split's training edges, early-stopped on
    /// its validation edges (ranked on each rank's own sources), the best epoch's model inferred
    /// over the training graph and gathered on rank 0, which ranks the test edges with the same
    /// `LinkPredictionEvaluator` as `run(_:base:search:progress:)`.
    ///
    /// `context` must place the nodes of `graph.withEdges(split.training)` (e.g. a partition of
    /// it). Collective; returns the result on rank 0 and nil elsewhere. Per-rank memory as
    /// `DirectedGNNTrainer.fitDataParallel`; rank 0 also holds the whole model while it evaluates.
    public func runDataParallel(base: DirectedGNNConfiguration, context: inout some DataParallelContext,
                                progress: ((DirectedGNNTrainer.Event) -> Void)? = nil) throws -> Result? {
        let method = RelatedMethod.hybrid
        let configuration = method.configuration(base: base)!
        let trainingGraph = graph.withEdges(split.training)
        let started = Date()
        let (models, report) = try DirectedGNNTrainer(configuration: configuration)
            .fitDataParallel(graph: trainingGraph, validation: split.validation, seed: seed, finalGraphs: [trainingGraph],
                             method: method.rawValue, context: &context, progress: progress)
        guard let model = models?.first else { return nil }
        let trainSeconds = Date().timeIntervalSince(started)
        let evaluator = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: trainingGraph)
        let best = report.epochs[report.bestEpoch - 1]
        return Result(method: method, evaluation: evaluator.evaluate(model, test: test), trainSeconds: trainSeconds,
                      epochs: report.epochs.count, samplerDescription: report.samplerDescription,
                      details: ["trainer": "data-parallel", "ranks": "\(context.ranks)", "best_epoch": "\(report.bestEpoch)",
                                "validation_mrr": String(format: "%.5f", best.validationMRR)])
    }
}
