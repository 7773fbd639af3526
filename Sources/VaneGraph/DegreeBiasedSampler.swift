import Foundation
import VaneTensor

/// Degree-biased neighbourhood sampling in the spirit of BLADE (Virinchi & Saladi, WSDM 2023):
/// low-degree nodes get larger neighbourhoods, and when their 1-hop neighbourhood is smaller than
/// their budget they "range farther afield" with 2-hop random walks along the same direction.
///
/// Budget (BLADE's exact formula is not public; this one is ours):
///   k(u) = clamp(round(baseFanOut * (referenceDegree / (d(u) + 1))^exponent), minimumFanOut, maximumFanOut)
/// where d(u) is u's degree along the sampled direction. The node then gets min(k, d) distinct 1-hop
/// neighbours and, if `twoHopFill` is on, k - d further samples from walks u -> w -> x (x != u)
/// with w a uniform 1-hop neighbour and x a uniform neighbour of w along the same direction.
/// Cost O(k(u)) per node.
public struct DegreeBiasedSampler: NeighbourSampler {
    /// Settings of the budget formula; `validate()` says what is wrong.
    public struct Configuration: Sendable, Equatable {
        /// Budget of a node whose degree + 1 equals `referenceDegree`.
        public var baseFanOut: Double = 10
        /// Degree at which the budget equals `baseFanOut`.
        public var referenceDegree: Double = 4
        /// How fast the budget falls with degree; `fitted(to:)` derives it from the power law.
        public var exponent: Double = 0.5
        public var minimumFanOut: Int = 5
        public var maximumFanOut: Int = 25
        /// Fill the budget of low-degree nodes with 2-hop neighbours.
        public var twoHopFill: Bool = true

        public init() {}

        public func validate() throws(GraphError) {
            guard baseFanOut > 0, baseFanOut.isFinite else { throw GraphError(.invalidConfiguration, "baseFanOut must be positive, got \(baseFanOut)") }
            guard referenceDegree > 0, referenceDegree.isFinite else { throw GraphError(.invalidConfiguration, "referenceDegree must be positive, got \(referenceDegree)") }
            guard exponent >= 0, exponent <= 4 else { throw GraphError(.invalidConfiguration, "exponent must be in [0, 4], got \(exponent)") }
            guard minimumFanOut >= 1, maximumFanOut >= minimumFanOut else {
                throw GraphError(.invalidConfiguration, "need 1 <= minimumFanOut <= maximumFanOut, got \(minimumFanOut)...\(maximumFanOut)")
            }
        }

        /// This configuration with `exponent` set from the graph's degree power law and
        /// `referenceDegree` from its median positive degree: exponent = 1 / (gamma - 1), clamped to
        /// [0.25, 1]. A heavier tail (gamma near 2) means a few hubs hold most edges, so budgets fall
        /// faster with degree; gamma = 3 gives 0.5.
        public func fitted(to graph: DirectedGraph) -> Configuration {
            var result = self
            let degrees = (0..<graph.nodeCount).map { graph.outDegree(of: Int32($0)) + graph.inDegree(of: Int32($0)) }
            if let fit = PowerLawFit(degrees: degrees) {
                result.exponent = min(1, max(0.25, 1 / (fit.exponent - 1)))
            }
            let positive = degrees.filter { $0 > 0 }.sorted()
            if !positive.isEmpty { result.referenceDegree = Double(positive[positive.count / 2]) + 1 }
            return result
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) throws(GraphError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The budget k for a node of this degree along the sampled direction.
    public func budget(forDegree degree: Int) -> Int {
        let c = configuration
        let raw = c.baseFanOut * pow(c.referenceDegree / Double(degree + 1), c.exponent)
        return min(c.maximumFanOut, max(c.minimumFanOut, Int(raw.rounded())))
    }

    public func sample(_ node: Int32, direction: EdgeDirection, in graph: DirectedGraph,
                       into output: inout [Int32], using generator: inout SeededGenerator) {
        let oneHop = graph.neighbours(of: node, direction: direction)
        let budget = budget(forDegree: oneHop.count)
        appendDistinctSample(of: oneHop, count: budget, into: &output, using: &generator)
        guard configuration.twoHopFill, oneHop.count < budget, !oneHop.isEmpty else { return }
        // 2-hop walks; a walk that dead-ends or returns to the node is retried a bounded number of times.
        var needed = budget - oneHop.count
        var attempts = 0
        while needed > 0 && attempts < 4 * budget {
            attempts += 1
            let middle = oneHop[oneHop.startIndex + generator.nextIndex(below: oneHop.count)]
            let secondHop = graph.neighbours(of: middle, direction: direction)
            guard !secondHop.isEmpty else { continue }
            let end = secondHop[secondHop.startIndex + generator.nextIndex(below: secondHop.count)]
            guard end != node else { continue }
            output.append(end)
            needed -= 1
        }
    }
}
