import Foundation
import VaneGraph

extension RelatedExperiment {
    /// `method` of this experiment with its GNN part (`hybrid`: hybrid structure, degree-biased
    /// sampling) trained data-parallel over `context` instead of in one process, then
    /// evaluated under the same protocol: trained on the split's training edges, early-stopped on
    /// its validation edges (ranked on each rank's own sources), the best epoch's model inferred
    /// over the training graph and gathered on rank 0, which ranks the test edges with the same
    /// `LinkPredictionEvaluator` as `run(_:base:search:progress:)`.
    ///
    /// `method` `vane` (or `hybrid+walks`): the job then trains `vane`'s LightGCN block over the ranks
    /// too (`LightGCNBaseline.fitDataParallel`), and rank 0 makes that method of the gathered GNN and
    /// LightGCN (`RelatedTraining.blend`: the walk blend fitted on the validation edges, on rank 0
    /// alone) before ranking, so the distributed job evaluates the default; its train seconds count all.
    ///
    /// `context` must place the nodes of `graph.withEdges(split.training)` (e.g. a partition of
    /// it). Collective; returns the result on rank 0 and nil elsewhere. Per-rank memory as
    /// `DirectedGNNTrainer.fitDataParallel`; rank 0 also holds the whole model while it evaluates.
    public func runDataParallel(_ method: RelatedMethod = .hybrid, base: DirectedGNNConfiguration, search: BlendSearch = BlendSearch(),
                                context: inout some DataParallelContext,
                                progress: ((DirectedGNNTrainer.Event) -> Void)? = nil) throws -> Result? {
        guard method == .hybrid || method.blendsWalks, let configuration = method.configuration(base: base),
              configuration == RelatedMethod.hybrid.configuration(base: base) else {
            throw RelatedError(.invalidRequest, "\(method.rawValue) is not trained data-parallel: choose hybrid, hybrid+walks or vane")
        }
        let trainingGraph = graph.withEdges(split.training)
        let started = Date()
        let (models, report) = try DirectedGNNTrainer(configuration: configuration)
            .fitDataParallel(graph: trainingGraph, validation: split.validation, seed: seed, finalGraphs: [trainingGraph],
                             method: method.rawValue, context: &context, progress: progress)
        // `vane`'s LightGCN block over the ranks too (collective), handed to the blend through its own
        // cache: the experiment's cache stays the one-process fits' (a `--reference` run reuses them).
        let blendCache = method.blendsLightGCN
            ? try RelatedTraining.lightGCNOverRanks(training: trainingGraph, validation: split.validation, seed: seed, context: &context)
            : RelatedFitCache()
        guard var model = models?.first else { return nil }
        let best = report.epochs[report.bestEpoch - 1]
        var details = ["trainer": "data-parallel", "ranks": "\(context.ranks)", "best_epoch": "\(report.bestEpoch)",
                       "validation_mrr": String(format: "%.5f", best.validationMRR)]
        if method.blendsWalks {
            let blended = try RelatedTraining.blend(method, gnn: (model, model), configuration: configuration, training: trainingGraph,
                                                    validation: split.validation, servingGraph: trainingGraph, seed: seed, search: search,
                                                    cache: blendCache)
            model = blended.model
            details.merge(blended.details) { $1 }
        }
        let trainSeconds = Date().timeIntervalSince(started)
        let evaluator = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: trainingGraph)
        return Result(method: method, evaluation: evaluator.evaluate(model, test: test), trainSeconds: trainSeconds,
                      epochs: report.epochs.count, samplerDescription: report.samplerDescription, details: details)
    }
}
