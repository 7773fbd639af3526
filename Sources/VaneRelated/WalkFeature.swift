import VaneGraph

/// A training-free item-item signal of a directed graph: the probability that a short random walk of
/// one shape, started at the source u, ends at the candidate v.
///
/// Each step follows an out-edge (->) or an in-edge (<-) chosen uniformly, so one step from x along
/// out-edges has probability 1/outdeg(x) and along in-edges 1/indeg(x). These are the neighbourhood
/// recommenders a practitioner tries first: `p3` is P3 (Cooper et al. 2014, "Random walks in
/// recommender systems"; RP3beta in Paudel et al. 2017 divides it by indeg(v)^beta), `coupling` is
/// bibliographic coupling and `siblings` co-citation. Shapes that go forward (`forwardPath`) and their
/// mirror images (`backwardPath`, `reverseEdge`) tell a model which way an edge points.
public enum WalkFeature: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    /// u -> w <- x -> v: "what links to what u links to also links to v" (P3).
    case p3
    /// u -> w -> v: v is two steps downstream of u.
    case forwardPath
    /// u <- x -> v: something that links to u also links to v (co-citation).
    case siblings
    /// u -> w <- v: v links to what u links to (bibliographic coupling).
    case coupling
    /// v -> u: the reverse edge exists (value 1).
    case reverseEdge
    /// v -> w -> u: u is two steps downstream of v, the mirror of `forwardPath`.
    case backwardPath
}

/// Computes every `WalkFeature` of one source against all items, into caller-owned scratch.
///
/// Neighbour lists longer than `neighbourCap` are walked with an even stride over the sorted list
/// and reweighted by length / walked, so a hub costs at most `neighbourCap` per visit: the work per
/// source is at most outdeg(u) x cap x cap for `p3` and cap x cap for the others.
/// Not `Sendable` state: one instance per thread.
public struct WalkFeatureAccumulator {
    public let graph: DirectedGraph
    public let neighbourCap: Int
    /// Dense accumulator over items; zero outside `touched` between calls.
    private var values: [Float]
    /// Items with a non-zero value, in first-touch order.
    private(set) var touched: [Int32] = []

    public init(graph: DirectedGraph, neighbourCap: Int = 256) {
        self.graph = graph
        self.neighbourCap = max(1, neighbourCap)
        values = [Float](repeating: 0, count: graph.nodeCount)
    }

    /// Calls `body(item, value)` for every item with a positive `feature` value for `source`
    /// (the source itself included when a walk returns to it), then clears the scratch.
    public mutating func forEachValue(_ feature: WalkFeature, source: Int32, _ body: (Int32, Float) -> Void) {
        accumulate(feature, source: source)
        for item in touched {
            body(item, values[Int(item)])
            values[Int(item)] = 0
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// The walk probability of `feature` from `source` to `target` alone.
    public mutating func value(_ feature: WalkFeature, source: Int32, target: Int32) -> Float {
        var result: Float = 0
        forEachValue(feature, source: source) { item, value in if item == target { result = value } }
        return result
    }

    private enum Direction { case out, `in` }

    /// The (possibly strided) neighbours of `node` and the weight of one step to each.
    private func step(_ node: Int32, _ direction: Direction) -> (list: ArraySlice<Int32>, stride: Int, weight: Float) {
        let list = direction == .out ? graph.outNeighbours(of: node) : graph.inNeighbours(of: node)
        guard !list.isEmpty else { return (list, 1, 0) }
        let stride = (list.count + neighbourCap - 1) / neighbourCap
        let walked = (list.count + stride - 1) / stride
        // Each walked neighbour stands for list.count / walked of them: total probability stays 1.
        return (list, stride, 1 / Float(walked))
    }

    private mutating func add(_ item: Int32, _ amount: Float) {
        let index = Int(item)
        if values[index] == 0 { touched.append(item) }
        values[index] += amount
    }

    private mutating func walk(from node: Int32, _ directions: ArraySlice<Direction>, mass: Float) {
        guard let first = directions.first else { add(node, mass); return }
        let (list, stride, weight) = step(node, first)
        guard weight > 0 else { return }
        var index = list.startIndex
        while index < list.endIndex {
            walk(from: list[index], directions.dropFirst(), mass: mass * weight)
            index += stride
        }
    }

    private mutating func accumulate(_ feature: WalkFeature, source: Int32) {
        switch feature {
        case .p3: walk(from: source, [.out, .in, .out], mass: 1)
        case .forwardPath: walk(from: source, [.out, .out], mass: 1)
        case .siblings: walk(from: source, [.in, .out], mass: 1)
        case .coupling: walk(from: source, [.out, .in], mass: 1)
        case .backwardPath: walk(from: source, [.in, .in], mass: 1)
        case .reverseEdge:
            for item in graph.inNeighbours(of: source) { add(item, 1) }
        }
    }
}
