import Foundation
import VaneGraph
import VaneMetrics
import VaneTensor

/// The RP3beta item-item recommender (Paudel et al. 2017, "Updatable, accurate, diverse, and scalable
/// recommendations for interactive applications"): score(u -> v) = P3(u, v) / indeg(v)^beta, where
/// P3 is the probability of the walk u -> w <- x -> v (`WalkFeature.p3`); items the walk never
/// reaches tie at zero. No training: beta is chosen from `betaGrid` by validation MRR.
///
/// Expressed as a `RelatedItemModel` with zero embeddings and a neighbourhood term whose presence
/// (1000) puts every reached item above every unreached one, so it shares evaluation and serving.
/// Cost: one validation ranking per grid value.
public enum P3Baseline {
    public static let betaGrid: [Float] = [0, 0.2, 0.4, 0.6, 0.8]

    /// The model for one beta over `graph`.
    public static func model(graph: DirectedGraph, beta: Float, neighbourCap: Int = 256) -> RelatedItemModel {
        let n = graph.nodeCount
        let term = NeighbourhoodTerm(weights: [.p3: .init(presence: 1000, logWeight: 1, inDegreeWeight: -beta)], neighbourCap: neighbourCap)
        return RelatedItemModel(method: "p3", graph: graph, sourceEmbeddings: Matrix(rows: n, columns: 1),
                                targetEmbeddings: Matrix(rows: n, columns: 1), neighbourhood: term)
    }

    /// Picks beta on `validation` (ranked against `known`, every edge known at fitting time) and
    /// returns the model over `graph` with it.
    public static func fit(graph: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge],
                           maximumQueries: Int = 1000, seed: UInt64) -> (model: RelatedItemModel, beta: Float) {
        var generator = SeededGenerator(seed: seed ^ 0x93)
        var queries = validation
        queries.seededSample(keeping: maximumQueries, using: &generator)
        let evaluator = LinkPredictionEvaluator(knownEdges: known, trainingGraph: graph)
        var best: (mrr: Double, beta: Float) = (-1, 0)
        for beta in betaGrid {
            let ranks = evaluator.ranks(of: model(graph: graph, beta: beta), queries: queries)
            let mrr = RankingMetrics.meanReciprocalRank(ranks: ranks)
            if mrr > best.mrr { best = (mrr, beta) }
        }
        return (model(graph: graph, beta: best.beta), best.beta)
    }
}
