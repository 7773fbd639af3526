import VaneTensor

/// Which neighbours of a node to sample: the targets of its out-edges or the sources of its in-edges.
public enum EdgeDirection: Sendable, Equatable {
    case outgoing
    case incoming
}

/// Chooses the neighbours a GNN aggregates over for one node (GraphSAGE-style sampling).
///
/// Implementations must be deterministic given the generator, never return the node itself, and
/// only return nodes reachable along `direction` (1 hop, or 2 hops where they say so).
public protocol NeighbourSampler: Sendable {
    /// Appends the sampled neighbours of `node` along `direction` to `output`.
    func sample(_ node: Int32, direction: EdgeDirection, in graph: DirectedGraph,
                into output: inout [Int32], using generator: inout SeededGenerator)
}

extension DirectedGraph {
    /// Neighbours of `node` along `direction`.
    @inlinable public func neighbours(of node: Int32, direction: EdgeDirection) -> ArraySlice<Int32> {
        direction == .outgoing ? outNeighbours(of: node) : inNeighbours(of: node)
    }
}

/// Appends `count` distinct elements of `pool` chosen uniformly (Floyd's algorithm; O(count) expected
/// for count much smaller than the pool, never more than O(count^2)).
@inlinable func appendDistinctSample(of pool: ArraySlice<Int32>, count: Int, into output: inout [Int32],
                                     using generator: inout SeededGenerator) {
    let n = pool.count
    if count >= n {
        output.append(contentsOf: pool)
        return
    }
    let start = output.count
    for j in (n - count)..<n {
        let candidate = generator.nextIndex(below: j + 1)
        let value = pool[pool.startIndex + candidate]
        if output[start...].contains(value) {
            output.append(pool[pool.startIndex + j])
        } else {
            output.append(value)
        }
    }
}
