import Dispatch
import VaneGraph
import VaneTensor

/// The sampled computation graph of one mini-batch, built top-down like PyG's neighbour loader /
/// DGL's blocks: level L holds the query nodes of each kind; level l - 1 holds level l's nodes (as a
/// prefix, so a node's own previous state is row i of the level below) followed by every sampled
/// neighbour those nodes aggregate over. Cost O(sum of sampled fan-outs).
struct ComputationPlan: Sendable {
    /// How one layer computes one kind's states at level l + 1 from level l.
    struct Block: Sendable {
        /// Number of nodes computed (the first rows of the same kind's level below).
        let destinationCount: Int
        /// Row of each sampled neighbour in the neighbour kind's level below, CSR by destination.
        let neighbourPositions: [Int32]
        let offsets: [Int]
    }

    /// nodes[level][kind]: distinct node ids, level 0 (embedding lookups) ... L (queries).
    let nodes: [[[Int32]]]
    /// blocks[layer][kind] computes level layer + 1 from level layer.
    let blocks: [[Block]]

    /// Samples the plan for distinct query nodes of each kind. `scratch` has one entry per node, all
    /// -1, and is returned so. With `nodeSeed`, each node's neighbours at each level are drawn from a
    /// generator seeded by (nodeSeed, level, kind, node) instead of the kind's stream, so a node's
    /// sample does not depend on which other nodes are in the plan: plans of a batch split over the
    /// ranks of a data-parallel job then sample exactly what one plan of the whole batch would.
    init(queries: [[Int32]], layers: Int, kinds: [RepresentationKind], views: GraphViews,
         sampler: any NeighbourSampler, generator: inout SeededGenerator, scratch: inout [Int32], nodeSeed: UInt64? = nil) {
        var nodes = [[[Int32]]](repeating: [], count: layers + 1)
        var blocks = [[Block]](repeating: [], count: layers)
        nodes[layers] = queries
        for level in stride(from: layers, to: 0, by: -1) {
            // Kinds sample in parallel, each from its own generator split off in a fixed order, so
            // the plan does not depend on scheduling.
            let generators = kinds.map { _ in generator.split() }
            var perKind = [(sampled: [Int32], offsets: [Int])](repeating: ([], [0]), count: kinds.count)
            let destinations = nodes[level]
            perKind.withUnsafeMutableBufferPointer { buffer in
                let output = SharedPointer(buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: kinds.count) { k in
                    var kindGenerator = generators[k]
                    let kind = kinds[k], graph = views.graph(for: kind)
                    var sampled: [Int32] = [], offsets = [0]
                    offsets.reserveCapacity(destinations[k].count + 1)
                    for node in destinations[k] {
                        if let nodeSeed {
                            var nodeGenerator = SeededGenerator(seed: nodeSeed ^ (UInt64(level) << 56) ^ (UInt64(k) << 48) ^ UInt64(UInt32(bitPattern: node)))
                            sampler.sample(node, direction: kind.direction, in: graph, into: &sampled, using: &nodeGenerator)
                        } else {
                            sampler.sample(node, direction: kind.direction, in: graph, into: &sampled, using: &kindGenerator)
                        }
                        offsets.append(sampled.count)
                    }
                    output[k] = (sampled, offsets)
                }
            }
            let sampled = perKind.map(\.sampled), offsets = perKind.map(\.offsets)
            var lower = nodes[level]
            var positions = [[Int32]](repeating: [], count: kinds.count)
            for j in kinds.indices {
                for (i, node) in lower[j].enumerated() { scratch[Int(node)] = Int32(i) }
                for (k, kind) in kinds.enumerated() where kind.neighbourKind == j {
                    positions[k].reserveCapacity(sampled[k].count)
                    for node in sampled[k] {
                        if scratch[Int(node)] < 0 {
                            scratch[Int(node)] = Int32(lower[j].count)
                            lower[j].append(node)
                        }
                        positions[k].append(scratch[Int(node)])
                    }
                }
                for node in lower[j] { scratch[Int(node)] = -1 }
            }
            blocks[level - 1] = kinds.indices.map {
                Block(destinationCount: nodes[level][$0].count, neighbourPositions: positions[$0], offsets: offsets[$0])
            }
            nodes[level - 1] = lower
        }
        self.nodes = nodes
        self.blocks = blocks
    }
}
