import VaneTensor

/// GraphSAGE's sampler (Hamilton et al., NeurIPS 2017): up to `fanOut` distinct 1-hop neighbours,
/// uniformly, whatever the node's degree; all of them when the degree is smaller.
public struct UniformSampler: NeighbourSampler {
    public let fanOut: Int

    public init(fanOut: Int) {
        precondition(fanOut > 0, "UniformSampler: fanOut must be positive")
        self.fanOut = fanOut
    }

    public func sample(_ node: Int32, direction: EdgeDirection, in graph: DirectedGraph,
                       into output: inout [Int32], using generator: inout SeededGenerator) {
        appendDistinctSample(of: graph.neighbours(of: node, direction: direction), count: fanOut,
                             into: &output, using: &generator)
    }
}
