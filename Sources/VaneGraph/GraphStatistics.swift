/// Summary statistics of a directed graph, as `vane graph stats` prints them.
public struct GraphStatistics: Sendable {
    /// Degree distribution quantiles.
    public struct Quantiles: Sendable, Equatable {
        public let minimum: Int
        public let median: Int
        public let p90: Int
        public let p99: Int
        public let maximum: Int
        public let mean: Double
    }

    public let nodeCount: Int
    public let edgeCount: Int
    /// Fraction of edges u -> v whose reverse v -> u is also an edge.
    public let reciprocity: Double
    public let outDegree: Quantiles
    public let inDegree: Quantiles
    /// Nodes with no out-edges (pure targets) and with no in-edges (pure sources).
    public let sinkCount: Int
    public let sourceOnlyCount: Int
    /// Power-law fit of total degree (in + out); nil for tiny graphs.
    public let totalDegreeFit: PowerLawFit?

    /// Computes every statistic. O(E log d_max).
    public init(graph: DirectedGraph) {
        nodeCount = graph.nodeCount
        edgeCount = graph.edgeCount
        var reciprocal = 0
        for u in 0..<graph.nodeCount {
            for v in graph.outNeighbours(of: Int32(u)) where graph.hasEdge(from: v, to: Int32(u)) {
                reciprocal += 1
            }
        }
        reciprocity = graph.edgeCount > 0 ? Double(reciprocal) / Double(graph.edgeCount) : 0
        let outDegrees = (0..<graph.nodeCount).map { graph.outDegree(of: Int32($0)) }
        let inDegrees = (0..<graph.nodeCount).map { graph.inDegree(of: Int32($0)) }
        outDegree = Self.quantiles(outDegrees)
        inDegree = Self.quantiles(inDegrees)
        sinkCount = outDegrees.filter { $0 == 0 }.count
        sourceOnlyCount = inDegrees.filter { $0 == 0 }.count
        totalDegreeFit = PowerLawFit(degrees: zip(outDegrees, inDegrees).map { $0 + $1 })
    }

    static func quantiles(_ values: [Int]) -> Quantiles {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return Quantiles(minimum: 0, median: 0, p90: 0, p99: 0, maximum: 0, mean: 0) }
        func at(_ q: Double) -> Int { sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1) + 0.5))] }
        return Quantiles(minimum: sorted[0], median: at(0.5), p90: at(0.9), p99: at(0.99),
                         maximum: sorted[sorted.count - 1],
                         mean: Double(sorted.reduce(0, +)) / Double(sorted.count))
    }
}
