import Foundation
import VaneGraph
import VaneIO
import VaneTensor
@testable import VaneRelated

/// A small directed "catalogue": 12 phones each pointing to 3 of 12 cases (phone -> case), plus a
/// ring among phones so the graph is connected. Cases never point to phones.
func catalogueGraph() throws -> DirectedGraph {
    var lines: [String] = []
    for phone in 0..<12 {
        for offset in 0..<3 { lines.append("phone\(phone)\tcase\((phone + offset * 4) % 12)") }
        lines.append("phone\(phone)\tphone\((phone + 1) % 12)")
    }
    return try EdgeListLoader().load(TextFile(path: "catalogue.tsv", text: lines.joined(separator: "\n"))).graph
}

/// A random graph with a power-law-ish degree spread: node i links to ~ (n / (i + 1))^0.7 others.
func randomGraph(nodes: Int, seed: UInt64) -> DirectedGraph {
    var generator = SeededGenerator(seed: seed)
    var edges: [DirectedGraph.Edge] = []
    for u in 0..<nodes {
        let degree = max(1, Int(pow(Double(nodes) / Double(u + 1), 0.7)))
        for _ in 0..<degree {
            let v = generator.nextIndex(below: nodes)
            if v != u { edges.append(.init(source: Int32(u), target: Int32(v))) }
        }
    }
    return DirectedGraph(nodeNames: (0..<nodes).map { "n\($0)" }, edges: edges)
}

/// A model over `graph` with N(0, 1) source then target embeddings of `columns` columns, drawn from
/// `seed`, and `neighbourhood` as its walk term.
func randomEmbeddingModel(graph: DirectedGraph, columns: Int, seed: UInt64, neighbourhood: NeighbourhoodTerm? = nil) -> RelatedItemModel {
    var generator = SeededGenerator(seed: seed)
    let n = graph.nodeCount
    return RelatedItemModel(method: "test", graph: graph,
                            sourceEmbeddings: .normal(rows: n, columns: columns, standardDeviation: 1, using: &generator),
                            targetEmbeddings: .normal(rows: n, columns: columns, standardDeviation: 1, using: &generator),
                            neighbourhood: neighbourhood)
}

/// `randomGraph(nodes:seed:)`, a seeded split of it with `validationFraction` of the edges held out
/// for validation (no test edges), and the graph of its training edges.
func splitRandomGraph(nodes: Int, seed: UInt64, splitSeed: UInt64? = nil, validationFraction: Double)
    throws -> (graph: DirectedGraph, split: EdgeSplit, training: DirectedGraph) {
    let graph = randomGraph(nodes: nodes, seed: seed)
    var generator = SeededGenerator(seed: splitSeed ?? seed)
    let split = try EdgeSplit(graph: graph, validationFraction: validationFraction, testFraction: 0, using: &generator)
    return (graph, split, graph.withEdges(split.training))
}

func smallConfiguration(_ structure: DirectedGNNConfiguration.Structure) -> DirectedGNNConfiguration {
    var configuration = DirectedGNNConfiguration()
    configuration.structure = structure
    configuration.dimension = 8
    configuration.layers = 1
    configuration.batchSize = 16
    configuration.maximumEpochs = 60
    configuration.patience = 60
    configuration.learningRate = 0.03
    configuration.sampling = .uniform(fanOut: 4)
    return configuration
}
