import Foundation
import VaneGraph
import VaneTensor

/// The popularity baseline: every source gets the same ranking, items by in-degree in the graph.
///
/// Expressed as a rank-1 embedding model (source 1, target log(1 + in-degree)) so it shares the
/// evaluation and serving code; the log keeps the order and the scores small. O(N).
public enum PopularityBaseline {
    public static func fit(graph: DirectedGraph) -> RelatedItemModel {
        let n = graph.nodeCount
        let target = (0..<n).map { Float(log1pf(Float(graph.inDegree(of: Int32($0))))) }
        return RelatedItemModel(method: "popularity", graph: graph,
                                sourceEmbeddings: Matrix(rows: n, columns: 1, repeating: 1),
                                targetEmbeddings: Matrix(rows: n, columns: 1, values: target))
    }
}
