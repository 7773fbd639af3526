import Foundation
import VaneGraph
import VaneTensor

/// Fitted weights that turn an embedding model into embeddings + degrees + walk features
/// (see `NeighbourhoodBlendFitter` for the score and how the weights are found).
///
/// Applying them to any graph over the same items (the training graph while evaluating, the whole
/// graph for serving) gives one `RelatedItemModel`: embedding block b scaled by `blockWeights[b]`,
/// columns for the target's log degrees and potential, the same for the source, and `term` for the walks.
/// The potential is recomputed over `graph` (SpringRank, deterministic). O(items x dimension).
public struct NeighbourhoodBlend: Sendable, Equatable {
    /// Column ranges of the base embeddings weighted separately.
    public let blocks: [Range<Int>]
    public let blockWeights: [Float]
    /// Weights of log(1 + indeg v) and log(1 + outdeg v).
    public let inDegreeWeight: Float
    public let outDegreeWeight: Float
    /// Weight of the target's SpringRank potential phi_v (`NodePotential`).
    public let potentialWeight: Float
    /// Weights of the source's log(1 + indeg u) and log(1 + outdeg u): a per-source offset that
    /// leaves every source's ranking unchanged and orients u -> v against v -> u.
    public let sourceInDegreeWeight: Float
    public let sourceOutDegreeWeight: Float
    public let sourcePotentialWeight: Float
    /// SpringRank's alpha for the potential (`NodePotential.springRank`), chosen on validation by the
    /// fitter (`NodePotential.chooseRegularisation`).
    public let potentialRegularisation: Double
    public let term: NeighbourhoodTerm

    public init(blocks: [Range<Int>], blockWeights: [Float], inDegreeWeight: Float, outDegreeWeight: Float, potentialWeight: Float = 0,
                sourceInDegreeWeight: Float = 0, sourceOutDegreeWeight: Float = 0, sourcePotentialWeight: Float = 0,
                potentialRegularisation: Double = NodePotential.defaultRegularisation, term: NeighbourhoodTerm) {
        self.potentialWeight = potentialWeight
        self.potentialRegularisation = potentialRegularisation
        self.sourcePotentialWeight = sourcePotentialWeight
        self.sourceInDegreeWeight = sourceInDegreeWeight
        self.sourceOutDegreeWeight = sourceOutDegreeWeight
        precondition(blocks.count == blockWeights.count, "NeighbourhoodBlend: one weight per block")
        self.blocks = blocks
        self.blockWeights = blockWeights
        self.inDegreeWeight = inDegreeWeight
        self.outDegreeWeight = outDegreeWeight
        self.term = term
    }

    /// The blended model over `graph`; `base` must be over the same items (nil when `blocks` is empty).
    public func model(base: RelatedItemModel?, graph: DirectedGraph, method: String) -> RelatedItemModel {
        let n = graph.nodeCount
        let d = blocks.isEmpty ? 0 : (base?.dimension ?? 0)
        let width = d + 6
        let needsPotential = potentialWeight != 0 || sourcePotentialWeight != 0
        let potential = needsPotential ? NodePotential.springRank(graph, alpha: potentialRegularisation) : [Float](repeating: 0, count: n)
        var source = Matrix(rows: n, columns: width), target = Matrix(rows: n, columns: width)
        for i in 0..<n {
            if let base, d > 0 {
                for (block, weight) in zip(blocks, blockWeights) {
                    for c in block { source.values[i * width + c] = weight * base.sourceEmbeddings.values[i * d + c] }
                }
                for c in 0..<d { target.values[i * width + c] = base.targetEmbeddings.values[i * d + c] }
            }
            source.values[i * width + d] = 1
            source.values[i * width + d + 1] = 1
            target.values[i * width + d] = inDegreeWeight * log1p(Float(graph.inDegree(of: Int32(i))))
            target.values[i * width + d + 1] = outDegreeWeight * log1p(Float(graph.outDegree(of: Int32(i))))
            source.values[i * width + d + 2] = sourceInDegreeWeight * log1p(Float(graph.inDegree(of: Int32(i))))
            source.values[i * width + d + 3] = sourceOutDegreeWeight * log1p(Float(graph.outDegree(of: Int32(i))))
            target.values[i * width + d + 2] = 1
            target.values[i * width + d + 3] = 1
            source.values[i * width + d + 4] = 1
            target.values[i * width + d + 4] = potentialWeight * potential[i]
            source.values[i * width + d + 5] = sourcePotentialWeight * potential[i]
            target.values[i * width + d + 5] = 1
        }
        return RelatedItemModel(method: method, graph: graph, sourceEmbeddings: source, targetEmbeddings: target, neighbourhood: term)
    }
}

extension NeighbourhoodBlend {
    /// The weights as text, for model files and logs.
    public var details: [String: String] {
        var result = ["blend_in_degree": String(format: "%.4f", inDegreeWeight), "blend_out_degree": String(format: "%.4f", outDegreeWeight),
                      "blend_source_in_degree": String(format: "%.4f", sourceInDegreeWeight),
                      "blend_source_out_degree": String(format: "%.4f", sourceOutDegreeWeight),
                      "blend_potential": String(format: "%.4f", potentialWeight),
                      "blend_source_potential": String(format: "%.4f", sourcePotentialWeight),
                      "blend_potential_alpha": String(potentialRegularisation)]
        for (index, weight) in blockWeights.enumerated() { result["blend_block\(index)"] = String(format: "%.4f", weight) }
        for (feature, weight) in term.weights {
            result["blend_\(feature.rawValue)"] = String(format: "%.3f %+.3f log x %+.3f log(1+indeg)", weight.presence, weight.logWeight, weight.inDegreeWeight)
        }
        return result
    }
}
