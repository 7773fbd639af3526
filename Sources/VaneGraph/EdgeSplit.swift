import VaneTensor

/// A seeded train / validation / test partition of a graph's edges.
///
/// Protocol (SPEC.md section 1): shuffle the edges, then move edges to test and validation until
/// each reaches its share, skipping any edge whose removal would leave its source or target with no
/// training edge at all, so every node keeps connectivity where the graph allows it. O(E).
public struct EdgeSplit: Sendable {
    public let training: [DirectedGraph.Edge]
    public let validation: [DirectedGraph.Edge]
    public let test: [DirectedGraph.Edge]

    /// Splits `graph`'s edges; fractions must be in [0, 1) and sum below 1.
    public init(graph: DirectedGraph, validationFraction: Double = 0.05, testFraction: Double = 0.10,
                using generator: inout SeededGenerator) throws(GraphError) {
        guard validationFraction >= 0, testFraction >= 0, validationFraction + testFraction < 1 else {
            throw GraphError(.invalidConfiguration,
                             "split fractions must be non-negative and sum below 1 (validation \(validationFraction), test \(testFraction))")
        }
        var edges = graph.edges
        guard edges.count >= 10 else {
            throw GraphError(.tooFewEdges, "a train/validation/test split needs at least 10 edges, the graph has \(edges.count)")
        }
        edges.seededShuffle(using: &generator)
        var remainingDegree = [Int](repeating: 0, count: graph.nodeCount)
        for edge in edges {
            remainingDegree[Int(edge.source)] += 1
            remainingDegree[Int(edge.target)] += 1
        }
        let testTarget = Int((Double(edges.count) * testFraction).rounded())
        let validationTarget = Int((Double(edges.count) * validationFraction).rounded())
        var test: [DirectedGraph.Edge] = [], validation: [DirectedGraph.Edge] = [], training: [DirectedGraph.Edge] = []
        for edge in edges {
            let removable = remainingDegree[Int(edge.source)] > 1 && remainingDegree[Int(edge.target)] > 1
            if removable && test.count < testTarget {
                test.append(edge)
            } else if removable && validation.count < validationTarget {
                validation.append(edge)
            } else {
                training.append(edge)
                continue
            }
            remainingDegree[Int(edge.source)] -= 1
            remainingDegree[Int(edge.target)] -= 1
        }
        self.training = training
        self.validation = validation
        self.test = test
    }
}
