import Foundation
import VaneGraph

/// The methods `vane graph evaluate` compares, each a preset over the same trainer and harness.
public enum RelatedMethod: String, Sendable, CaseIterable {
    /// Items ranked by in-degree, the same list for every source.
    case popularity
    /// Single-embedding GraphSAGE over the undirected graph, uniform fan-out: direction-blind.
    case symmetric
    /// Dual source/target embeddings with uniform fixed fan-out (GraphSAGE sampling).
    case uniform
    /// Dual source/target embeddings with degree-biased sampling and 2-hop fill (BLADE-style).
    case blade
    /// Vane's model: a symmetric part for proximity plus a dual part for direction, degree-biased sampling.
    case vane

    /// Methods run when none are named.
    public static let defaults: [RelatedMethod] = [.popularity, .symmetric, .uniform, .blade, .vane]

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
    /// nil for popularity, which trains nothing.
    public func configuration(base: DirectedGNNConfiguration) -> DirectedGNNConfiguration? {
        var configuration = base
        let uniformFanOut = base.uniformFanOut
        switch self {
        case .popularity:
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
        case .vane:
            configuration.structure = .hybrid
            if case .uniform = configuration.sampling { configuration.sampling = .degreeBiased(.init(), fitToGraph: true) }
        }
        return configuration
    }
}
