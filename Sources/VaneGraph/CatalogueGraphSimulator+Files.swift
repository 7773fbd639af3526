import Foundation

extension CatalogueGraphSimulator.SimulatedGraph {
    /// Writes the edge list `vane graph evaluate` reads (source, target, relation per line, tab
    /// separated, after a `# ...` line holding `comment`) to `edgesPath`, and when `nodesPath` is given
    /// the latent labels (id, category `c<k>`, community `g<k>`) to it; each file atomically, so an
    /// interrupted run leaves no half-written file. O(edges + nodes).
    public func write(edgesTo edgesPath: String, nodesTo nodesPath: String? = nil, comment: String = "") throws {
        var text = "# source\ttarget\trelation" + (comment.isEmpty ? "" : "  (\(comment))") + "\n"
        text.reserveCapacity(graph.edgeCount * 24)
        for edge in graph.edges {
            text += "\(graph.nodeNames[Int(edge.source)])\t\(graph.nodeNames[Int(edge.target)])\t\(relation(of: edge))\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: edgesPath), options: .atomic)
        guard let nodesPath else { return }
        var table = "# id\tcategory\tcommunity\n"
        for item in 0..<graph.nodeCount {
            table += "\(graph.nodeNames[item])\tc\(categories[item])\tg\(communities[item])\n"
        }
        try Data(table.utf8).write(to: URL(fileURLWithPath: nodesPath), options: .atomic)
    }
}
