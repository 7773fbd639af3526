import VaneGraph
import VaneMetrics
import VaneTensor

extension DirectedGNNTrainer {
    /// The fixed seeded sample of validation edges every epoch ranks (at most
    /// `configuration.validationQueries`), shared by `fit` and `fitDataParallel` so both stop on the
    /// same queries.
    static func validationQueries(_ validation: [DirectedGraph.Edge], configuration: DirectedGNNConfiguration,
                                  seed: UInt64) -> [DirectedGraph.Edge] {
        var generator = SeededGenerator(seed: seed ^ 0x5EED)
        var queries = validation
        queries.seededSample(keeping: configuration.validationQueries, using: &generator)
        return queries
    }

    /// Early-stopping bookkeeping: the best epoch's validation MRR and a snapshot of what it trained
    /// (the whole model in one process, a rank's own rows in a sharded job), and the patience count.
    struct EarlyStopping<Snapshot> {
        let patience: Int
        /// Without validation queries every epoch counts as better (nothing to stop on: the latest
        /// parameters are kept).
        let hasQueries: Bool
        private(set) var best: (mrr: Double, snapshot: Snapshot)?
        private(set) var epochsWithoutImprovement = 0

        init(patience: Int, hasQueries: Bool) {
            self.patience = patience
            self.hasQueries = hasQueries
        }

        /// Records an epoch's loss and MRR in `report`, keeps `snapshot()` when the epoch is the best
        /// so far, and tells the progress callback; returns whether training should stop.
        mutating func record(epoch: Int, loss: Double, mrr: Double, snapshot: () throws -> Snapshot, report: inout Report,
                             progress: ((Event) -> Void)?) rethrows -> Bool {
            let improved = !hasQueries || best == nil || mrr > best!.mrr
            if improved {
                best = (mrr, try snapshot())
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

    /// Validation MRR in one process: the queries ranked by the filtered full-ranking protocol
    /// against everything known at training time (training graph plus validation edges).
    struct ValidationRanking {
        let queries: [DirectedGraph.Edge]
        let evaluator: LinkPredictionEvaluator

        init(graph: DirectedGraph, validation: [DirectedGraph.Edge], configuration: DirectedGNNConfiguration, seed: UInt64) {
            queries = DirectedGNNTrainer.validationQueries(validation, configuration: configuration, seed: seed)
            evaluator = LinkPredictionEvaluator(knownEdges: graph.withEdges(graph.edges + validation), trainingGraph: graph)
        }

        /// Validation MRR of `model`'s full-graph inference over `graph`. O(inference + queries x items).
        func meanReciprocalRank(of model: DirectedGNN, graph: DirectedGraph, seed: UInt64) -> Double {
            let fitted = model.relatedItemModel(graph: graph, method: "validation", seed: seed)
            return RankingMetrics.meanReciprocalRank(ranks: evaluator.ranks(of: fitted, queries: queries))
        }
    }
}
