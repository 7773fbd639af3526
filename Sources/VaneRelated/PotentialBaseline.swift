import Foundation
import VaneGraph
import VaneTensor

/// The SpringRank baseline: score(u -> v) = phi_u - phi_v, phi the SpringRank potential of the graph
/// (`NodePotential`: edges tend to point downhill). Every source gets the same ranking (items by how
/// far downhill they sit), so it is a weak recommender; its direction, sign(phi_u - phi_v), is the
/// strongest single direction signal in the training graph that Vane knows of, which makes it the
/// reference for the default's direction AUC (docs/results/related-direction.md).
///
/// Expressed as a rank-2 embedding model (source [phi_u, 1], target [1, -phi_v]) so it shares the
/// evaluation and serving code. Cost: `NodePotential.springRank`, O(iterations x (nodes + edges)).
public enum PotentialBaseline {
    /// The model over `graph` with SpringRank's `alpha` (chosen on validation by
    /// `NodePotential.chooseRegularisation` when `RelatedTraining` fits it).
    public static func fit(graph: DirectedGraph, alpha: Double = NodePotential.defaultRegularisation) -> RelatedItemModel {
        let n = graph.nodeCount
        let potential = NodePotential.springRank(graph, alpha: alpha)
        var source = Matrix(rows: n, columns: 2), target = Matrix(rows: n, columns: 2)
        for i in 0..<n {
            source.values[2 * i] = potential[i]
            source.values[2 * i + 1] = 1
            target.values[2 * i] = 1
            target.values[2 * i + 1] = -potential[i]
        }
        return RelatedItemModel(method: RelatedMethod.springrank.rawValue, graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
    }
}
