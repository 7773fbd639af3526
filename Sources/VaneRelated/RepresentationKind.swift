import VaneGraph

/// One kind of node representation in a directed GNN and where it gathers messages from.
///
/// A dual model has two kinds, source (gathers the *target* states of out-neighbours) and target
/// (gathers the *source* states of in-neighbours); a symmetric model has one kind that gathers its
/// own kind over the undirected graph; the hybrid model has all three.
struct RepresentationKind: Sendable, Equatable {
    /// Aggregate over the undirected (symmetrised) graph instead of the directed one.
    let symmetrised: Bool
    let direction: EdgeDirection
    /// Index of the kind whose states the neighbours contribute.
    let neighbourKind: Int
    let dimension: Int
}

extension DirectedGNNConfiguration.Structure {
    /// The kinds of this structure for a total source (or target) width `dimension`.
    func kinds(dimension: Int) -> [RepresentationKind] {
        switch self {
        case .symmetric:
            [RepresentationKind(symmetrised: true, direction: .outgoing, neighbourKind: 0, dimension: dimension)]
        case .dual:
            [RepresentationKind(symmetrised: false, direction: .outgoing, neighbourKind: 1, dimension: dimension),
             RepresentationKind(symmetrised: false, direction: .incoming, neighbourKind: 0, dimension: dimension)]
        case .hybrid:
            [RepresentationKind(symmetrised: true, direction: .outgoing, neighbourKind: 0, dimension: dimension / 2),
             RepresentationKind(symmetrised: false, direction: .outgoing, neighbourKind: 2, dimension: dimension / 2),
             RepresentationKind(symmetrised: false, direction: .incoming, neighbourKind: 1, dimension: dimension / 2)]
        }
    }

    /// Which kinds are dotted to score u -> v: score = sum over pairs of H[source kind][u] . H[target kind][v].
    var scorePairs: [(source: Int, target: Int)] {
        switch self {
        case .symmetric: [(0, 0)]
        case .dual: [(0, 1)]
        case .hybrid: [(0, 0), (1, 2)]
        }
    }
}

/// The directed graph and, when some kind needs it, its undirected version over the same ids.
struct GraphViews: Sendable {
    let directed: DirectedGraph
    let symmetrised: DirectedGraph?

    init(_ graph: DirectedGraph, kinds: [RepresentationKind]) {
        directed = graph
        if kinds.contains(where: \.symmetrised) {
            let edges = graph.edges
            symmetrised = graph.withEdges(edges + edges.map { .init(source: $0.target, target: $0.source) })
        } else {
            symmetrised = nil
        }
    }

    func graph(for kind: RepresentationKind) -> DirectedGraph {
        kind.symmetrised ? symmetrised! : directed
    }
}
