import Foundation
import VaneGraph
import VaneMetrics
import VaneTensor

/// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"), the closed-form
/// item-item recommender, on a directed graph: every node is a "user" whose items are its out-links
/// (X = A), so
///   P = (A^T A + lambda I)^-1,  B = I - P diag(P)^-1 (zero diagonal),  score(u -> v) = sum_{u -> w} B[w, v].
/// lambda is chosen from `lambdaGrid` by validation MRR.
///
/// Expressed as a `RelatedItemModel` with N-wide embeddings (source = A's rows, target = B's
/// columns), so it is limited to `maximumItems` nodes: O(N^2) memory and O(N^3) time per lambda.
public enum EASEBaseline {
    public static let lambdaGrid: [Float] = [0.5, 2, 8, 32, 128]
    public static let maximumItems = 12_000

    /// The model for one lambda over `graph`; nil when the Gram matrix cannot be inverted.
    public static func model(graph: DirectedGraph, lambda: Float) -> RelatedItemModel? {
        let n = graph.nodeCount
        var gram = Matrix(rows: n, columns: n)
        for x in 0..<n {
            let targets = graph.outNeighbours(of: Int32(x))
            for w in targets { for v in targets { gram.values[Int(w) * n + Int(v)] += 1 } }
        }
        for i in 0..<n { gram.values[i * n + i] += lambda }
        guard SymmetricInverse.invert(&gram) else { return nil }
        // B[w, v] = -P[w, v] / P[v, v], B[v, v] = 0; stored transposed as the target embeddings: row v = column v of B.
        var target = Matrix(rows: n, columns: n)
        for v in 0..<n {
            let diagonal = gram.values[v * n + v]
            for w in 0..<n where w != v { target.values[v * n + w] = -gram.values[w * n + v] / diagonal }
        }
        var source = Matrix(rows: n, columns: n)
        for u in 0..<n { for w in graph.outNeighbours(of: Int32(u)) { source.values[u * n + Int(w)] = 1 } }
        return RelatedItemModel(method: "ease", graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
    }

    /// Picks lambda on `validation` (filtered by `known`) and returns the model over `graph`.
    public static func fit(graph: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge],
                           maximumQueries: Int = 1000, seed: UInt64) throws(RelatedError) -> (model: RelatedItemModel, lambda: Float) {
        guard graph.nodeCount <= maximumItems else {
            throw RelatedError(.invalidRequest, "ease needs a dense \(graph.nodeCount) x \(graph.nodeCount) matrix; it runs on graphs of at most \(maximumItems) nodes")
        }
        var generator = SeededGenerator(seed: seed ^ 0xEA5E)
        var queries = validation
        queries.seededSample(keeping: maximumQueries, using: &generator)
        let evaluator = LinkPredictionEvaluator(knownEdges: known, trainingGraph: graph)
        var best: (mrr: Double, lambda: Float, model: RelatedItemModel)?
        for lambda in lambdaGrid {
            guard let candidate = model(graph: graph, lambda: lambda) else { continue }
            let ranks = evaluator.ranks(of: candidate, queries: queries)
            let mrr = RankingMetrics.meanReciprocalRank(ranks: ranks)
            if best == nil || mrr > best!.mrr { best = (mrr, lambda, candidate) }
        }
        guard let best else { throw RelatedError(.diverged, "ease: the Gram matrix was not positive definite for any lambda") }
        return (best.model, best.lambda)
    }
}
