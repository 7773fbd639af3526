import Foundation
import VaneGraph

/// The methods `vane graph evaluate` compares, each a preset over the same trainer and harness.
public enum RelatedMethod: String, Sendable, CaseIterable {
    /// Items ranked by in-degree, the same list for every source.
    case popularity
    /// SpringRank: score(u -> v) = phi_u - phi_v, the same list for every source; the reference for direction.
    case springrank
    /// Single-embedding GraphSAGE over the undirected graph, uniform fan-out: direction-blind.
    case symmetric
    /// Dual source/target embeddings with uniform fixed fan-out (GraphSAGE sampling).
    case uniform
    /// Dual source/target embeddings with degree-biased sampling and 2-hop fill (BLADE-style).
    case blade
    /// RP3beta item-item walks (u -> w <- x -> v, divided by indeg(v)^beta), beta on validation; no training.
    case p3
    /// EASE closed-form item-item regression on out-links, lambda on validation (graphs up to 12,000 nodes).
    case ease
    /// LightGCN: free embeddings propagated over the undirected graph, 3 layers, sampled softmax (symmetric).
    case lightgcn
    /// All walk features and target degrees blended by weights fitted on validation; no embeddings.
    case walks
    /// The GNN alone: a symmetric part for proximity plus a dual part for direction, degree-biased sampling.
    case hybrid
    /// Ablation of `vane` without its LightGCN part: the hybrid GNN, degrees and walk features.
    case hybridWalks = "hybrid+walks"
    /// Vane's model: the hybrid GNN's two parts, LightGCN embeddings, degrees, SpringRank potentials
    /// and walk features in one score, blended by weights fitted on validation edges (ranking plus
    /// direction loss).
    case vane

    /// Methods run when none are named: the baselines a practitioner tries first (popularity, the
    /// SpringRank order, RP3beta, EASE where it fits, LightGCN), the GNN alone, the walk blend alone,
    /// and the default, so an unnamed run already says whether the default beats them. One split fits
    /// LightGCN and the hybrid GNN once; the default reuses both (`RelatedFitCache`).
    public static let defaults: [RelatedMethod] = [.popularity, .springrank, .p3, .ease, .lightgcn, .hybrid, .walks, .vane]

    /// Whether the method can run on a graph of `nodes` nodes (EASE needs a dense N x N matrix).
    public func runs(onNodes nodes: Int) -> Bool { self != .ease || nodes <= EASEBaseline.maximumItems }

    /// Whether the method is one a practitioner would try first (everything but `walks`, an ablation
    /// of the default, and `vane` itself): what the default is compared against.
    public var isBaseline: Bool { !blendsWalks }

    /// Whether the method blends walk features into its score (`NeighbourhoodBlendFitter`).
    public var blendsWalks: Bool { self == .walks || self == .hybridWalks || self == .vane }

    /// Whether the method's blend includes LightGCN embeddings.
    public var blendsLightGCN: Bool { self == .vane }

    /// Parses a comma-separated list such as "popularity,blade"; the error lists the valid names.
    public static func parseList(_ text: String) throws(RelatedError) -> [RelatedMethod] {
        var methods: [RelatedMethod] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let method = RelatedMethod(rawValue: name) else {
                throw RelatedError(.invalidRequest, "unknown method \"\(name)\"; choose from \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !methods.contains(method) { methods.append(method) }
        }
        guard !methods.isEmpty else { throw RelatedError(.invalidRequest, "no method named") }
        return methods
    }

    /// The GNN configuration of this method, starting from `base` (dimension, epochs, ...);
    /// nil for the methods without a GNN.
    public func configuration(base: DirectedGNNConfiguration) -> DirectedGNNConfiguration? {
        var configuration = base
        let uniformFanOut = base.uniformFanOut
        switch self {
        case .popularity, .springrank, .p3, .ease, .lightgcn, .walks:
            return nil
        case .symmetric:
            configuration.structure = .symmetric
            configuration.sampling = .uniform(fanOut: uniformFanOut)
            configuration.reverseWeight = 0
        case .uniform:
            configuration.structure = .dual
            configuration.sampling = .uniform(fanOut: uniformFanOut)
        case .blade:
            configuration.structure = .dual
            if case .uniform = configuration.sampling { configuration.sampling = .degreeBiased(.init(), fitToGraph: true) }
        case .hybrid, .hybridWalks, .vane:
            configuration.structure = .hybrid
            if case .uniform = configuration.sampling { configuration.sampling = .degreeBiased(.init(), fitToGraph: true) }
        }
        return configuration
    }
}
