import Foundation
import VaneTensor

/// Seeded random directed graphs whose out- and in-degrees follow power laws, for scale tests and
/// benchmarks: Chung-Lu style, each edge's source is drawn with probability proportional to
/// w_i = (i + 1)^(-1 / (gamma - 1)) (which gives degree exponent gamma) and its target likewise
/// over an independent random ranking, so hubs of out- and in-degree differ. Self-loops and
/// duplicates are redrawn, so the graph has exactly `edges` edges. O(E log N) time, O(E) memory.
public struct PowerLawGraphGenerator: Sendable {
    public var nodes: Int
    public var edges: Int
    /// Degree exponent gamma (> 2 keeps the mean degree finite; real catalogues sit near 2-3).
    public var exponent = 2.1

    public init(nodes: Int, edges: Int) {
        self.nodes = nodes
        self.edges = edges
    }

    public func validate() throws(GraphError) {
        guard nodes >= 2, nodes < Int(Int32.max) else { throw GraphError(.invalidConfiguration, "nodes must be in 2..<2^31, got \(nodes)") }
        guard edges >= 1, Double(edges) <= 0.5 * Double(nodes) * Double(nodes - 1) else {
            throw GraphError(.invalidConfiguration, "edges must be in 1...n(n-1)/2 for n = \(nodes), got \(edges)")
        }
        guard exponent > 1.5, exponent.isFinite else { throw GraphError(.invalidConfiguration, "exponent must be > 1.5, got \(exponent)") }
    }

    /// The graph, with nodes named n0, n1, ...
    public func generate(seed: UInt64) throws(GraphError) -> DirectedGraph {
        try validate()
        var generator = SeededGenerator(seed: seed)
        var cumulative = [Double](repeating: 0, count: nodes)
        var total = 0.0
        for i in 0..<nodes {
            total += pow(Double(i + 1), -1 / (exponent - 1))
            cumulative[i] = total
        }
        var targetRank = Array(0..<Int32(nodes))
        targetRank.seededShuffle(using: &generator)
        func draw() -> Int {
            let u = generator.nextUnitDouble() * total
            var low = 0, high = nodes - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < u { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var keys: [UInt64] = []
        keys.reserveCapacity(edges + edges / 8)
        // Draw, de-duplicate, and top up until exactly `edges` distinct non-loop edges exist.
        while keys.count < edges {
            for _ in 0..<(edges - keys.count) {
                let source = draw(), target = Int(targetRank[draw()])
                if source != target { keys.append(UInt64(source) << 32 | UInt64(target)) }
            }
            keys.sort()
            var unique = 0
            for key in keys where unique == 0 || keys[unique - 1] != key {
                keys[unique] = key
                unique += 1
            }
            keys.removeLast(keys.count - unique)
        }
        let list = keys.map { DirectedGraph.Edge(source: Int32($0 >> 32), target: Int32($0 & 0xFFFF_FFFF)) }
        return DirectedGraph(nodeNames: (0..<nodes).map { "n\($0)" }, edges: list)
    }
}
