import Dispatch
import VaneGraph
import VaneTensor

extension DirectedGNN {
    /// Final states of the nodes this rank owns, layer by layer as `inferStates` computes them for
    /// the whole graph, without any rank holding every node's states: for layer l and kind k each
    /// rank samples its own nodes' neighbourhoods, pulls the level-l states of the distinct sampled
    /// neighbours from their owners (`context.rows(of:ids:)`), and computes level l + 1 of its rows.
    ///
    /// `ownEmbeddings[k]`: this rank's level-0 rows of kind k in `context.ownedNodes` order. A node's
    /// neighbours at layer l are drawn from a generator seeded by (seed, l, k, node), so the states
    /// do not depend on the number of ranks (up to the order of float sums). Own nodes go in
    /// `chunkRows` pieces (the same number of pieces on every rank: the collectives pair up), so the
    /// pulled neighbour states stay bounded. Returns one (ownedNodes.count x d_k) matrix per kind.
    /// Collective. O(L (sampled edges x d + owned nodes x d^2)) per rank plus the pulled rows.
    func inferOwnStates(graph: DirectedGraph, seed: UInt64, ownEmbeddings: [Matrix], context: inout some DataParallelContext,
                        chunkRows: Int = 65_536) throws -> [Matrix] {
        let views = GraphViews(graph, kinds: kinds)
        let owned = context.ownedNodes
        var counts = [Double](repeating: 0, count: context.ranks)
        counts[context.rank] = Double(owned.count)
        try context.sum(&counts)
        let pieces = max(1, Int((counts.max()! / Double(max(1, chunkRows))).rounded(.up)))
        var scratch = [Int32](repeating: -1, count: graph.nodeCount)
        var states = ownEmbeddings
        for l in 0..<layers {
            var next: [Matrix] = []
            for (k, kind) in kinds.enumerated() {
                let sampleGraph = views.graph(for: kind)
                var output = Matrix(rows: owned.count, columns: kind.dimension)
                for piece in 0..<pieces {
                    let range = (owned.count * piece / pieces)..<(owned.count * (piece + 1) / pieces)
                    let (sampled, offsets) = sampleNeighbours(of: owned[range], layer: l, kind: k, in: sampleGraph, seed: seed)
                    var distinct: [Int32] = [], positions: [Int32] = []
                    positions.reserveCapacity(sampled.count)
                    for node in sampled {
                        if scratch[Int(node)] < 0 {
                            scratch[Int(node)] = Int32(distinct.count)
                            distinct.append(node)
                        }
                        positions.append(scratch[Int(node)])
                    }
                    for node in distinct { scratch[Int(node)] = -1 }
                    let neighbourStates = try context.rows(of: states[kind.neighbourKind], ids: distinct)
                    let width = kind.dimension
                    let own = Matrix(rows: range.count, columns: width,
                                     values: Array(states[k].values[(range.lowerBound * width)..<(range.upperBound * width)]))
                    let result = layer(l, kind: k, own: own, neighbourStates: neighbourStates, neighbours: positions, offsets: offsets).output
                    output.values.replaceSubrange((range.lowerBound * width)..<(range.upperBound * width), with: result.values)
                }
                next.append(output)
            }
            states = next
        }
        return states
    }

    /// Sampled neighbours of `nodes` (CSR: flat list and offsets), each node's draw seeded by
    /// (seed, layer, kind, node); parallel over fixed slices, so the result does not depend on cores.
    private func sampleNeighbours(of nodes: ArraySlice<Int32>, layer l: Int, kind k: Int, in graph: DirectedGraph,
                                  seed: UInt64) -> (sampled: [Int32], offsets: [Int]) {
        let sliceCount = 8
        let direction = kinds[k].direction
        let nodes = Array(nodes)
        var slices = [(sampled: [Int32], counts: [Int])](repeating: ([], []), count: sliceCount)
        slices.withUnsafeMutableBufferPointer { buffer in
            let output = SharedPointer(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
                var sampled: [Int32] = [], counts: [Int] = []
                for node in nodes[(nodes.count * slice / sliceCount)..<(nodes.count * (slice + 1) / sliceCount)] {
                    var generator = SeededGenerator(seed: seed ^ (UInt64(l) << 56) ^ (UInt64(k) << 48) ^ UInt64(UInt32(bitPattern: node)))
                    let before = sampled.count
                    sampler.sample(node, direction: direction, in: graph, into: &sampled, using: &generator)
                    counts.append(sampled.count - before)
                }
                output[slice] = (sampled, counts)
            }
        }
        var offsets = [0]
        offsets.reserveCapacity(nodes.count + 1)
        for slice in slices { for count in slice.counts { offsets.append(offsets.last! + count) } }
        return (slices.flatMap(\.sampled), offsets)
    }

    /// This rank's rows of the score's source and target sides (the score pairs' kinds side by
    /// side, as `relatedItemModel` builds them) from its own final states.
    func scoreSides(of states: [Matrix]) -> (source: Matrix, target: Matrix) {
        let pairs = configuration.structure.scorePairs
        let source = pairs.dropFirst().reduce(states[pairs[0].source]) { ColumnConcat.forward($0, states[$1.source]) }
        let target = pairs.dropFirst().reduce(states[pairs[0].target]) { ColumnConcat.forward($0, states[$1.target]) }
        return (source, target)
    }
}
