import VaneGraph
import VaneMetrics
import VaneTensor

extension DirectedGNNTrainer {
    /// The validation and early-stopping bookkeeping `fit` and `fitDataParallel` share: a fixed
    /// seeded sample of validation queries ranked against everything known at training time, the
    /// best epoch's model, and the patience count.
    struct EarlyStopping {
        let queries: [DirectedGraph.Edge]
        let evaluator: LinkPredictionEvaluator
        let patience: Int
        private(set) var best: (mrr: Double, model: DirectedGNN)?
        private(set) var epochsWithoutImprovement = 0

        init(graph: DirectedGraph, validation: [DirectedGraph.Edge], configuration: DirectedGNNConfiguration, seed: UInt64) {
            var generator = SeededGenerator(seed: seed ^ 0x5EED)
            var queries = validation
            queries.seededSample(keeping: configuration.validationQueries, using: &generator)
            self.queries = queries
            evaluator = LinkPredictionEvaluator(knownEdges: graph.withEdges(graph.edges + validation), trainingGraph: graph)
            patience = configuration.patience
        }

        /// Validation MRR of `model`'s full-graph inference over `graph`. O(inference + queries x items).
        func meanReciprocalRank(of model: DirectedGNN, graph: DirectedGraph, seed: UInt64) -> Double {
            let fitted = model.relatedItemModel(graph: graph, method: "validation", seed: seed)
            return RankingMetrics.meanReciprocalRank(ranks: evaluator.ranks(of: fitted, queries: queries))
        }

        /// Records an epoch's loss and MRR in `report` and tells the progress callback; returns whether
        /// training should stop. Without validation edges every epoch counts as better (nothing to
        /// stop on: the latest parameters are kept).
        mutating func record(epoch: Int, loss: Double, mrr: Double, model: DirectedGNN, report: inout Report,
                             progress: ((Event) -> Void)?) -> Bool {
            let improved = queries.isEmpty || best == nil || mrr > best!.mrr
            if improved {
                best = (mrr, model)
                report.bestEpoch = epoch
                epochsWithoutImprovement = 0
            } else {
                epochsWithoutImprovement += 1
            }
            report.epochs.append((loss, mrr))
            progress?(.epoch(epoch: epoch, loss: loss, validationMRR: mrr, improved: improved))
            return epochsWithoutImprovement >= patience
        }
    }
}
