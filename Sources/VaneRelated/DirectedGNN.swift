import Dispatch
import VaneGraph
import VaneTensor

/// The parameters of a dual-embedding directed GNN (BLADE-style) and its forward and backward passes.
///
/// Layer l, for each representation kind k with neighbour kind n(k):
///   h_k^l(u) = act(W_k^l [h_k^{l-1}(u) || mean{ h_{n(k)}^{l-1}(v) : v in sampled N_k(u) }] + b_k^l)
/// with act = ReLU on hidden layers and identity on the last; h^0 are free embeddings (the graphs
/// have no node features). For the dual structure, kind 0 is the source state s (N = out-neighbours,
/// n = target kind) and kind 1 the target state t (N = in-neighbours, n = source kind), so
/// score(u -> v) = s_u . t_v, as in DiGAE (Kollias et al. 2022) and BLADE (Virinchi & Saladi, WSDM 2023).
///
/// Shapes: embeddings[k] (N x d_k), weights[l][k] (2 d_k x d_k), biases[l][k] (1 x d_k).
/// A mini-batch costs O(sampled nodes x d^2) in GEMMs plus O(sampled edges x d) in aggregation.
public struct DirectedGNN: Sendable {
    public let configuration: DirectedGNNConfiguration
    let kinds: [RepresentationKind]
    let sampler: any NeighbourSampler
    var embeddings: [Matrix]
    var weights: [[Matrix]]
    var biases: [[Matrix]]

    /// Fresh parameters: embeddings ~ N(0, 0.1^2), weights Xavier-uniform, biases zero.
    init(configuration: DirectedGNNConfiguration, nodeCount: Int, sampler: any NeighbourSampler,
         generator: inout SeededGenerator) {
        self.configuration = configuration
        self.sampler = sampler
        let kinds = configuration.structure.kinds(dimension: configuration.dimension)
        self.kinds = kinds
        embeddings = kinds.map { Matrix.normal(rows: nodeCount, columns: $0.dimension, standardDeviation: 0.1, using: &generator) }
        var layerWeights: [[Matrix]] = []
        for _ in 0..<configuration.layers {
            layerWeights.append(kinds.map { Matrix.xavierUniform(rows: 2 * $0.dimension, columns: $0.dimension, using: &generator) })
        }
        weights = layerWeights
        biases = (0..<configuration.layers).map { _ in kinds.map { Matrix(rows: 1, columns: $0.dimension) } }
    }

    var layers: Int { configuration.layers }

    /// States at every level of a plan, and each layer's two inputs (own state, neighbour mean),
    /// kept for backward.
    struct ForwardState {
        var levels: [[Matrix]]
        var inputs: [[(own: Matrix, aggregated: Matrix)]]
    }

    /// W split by rows into the part applied to the node's own state and the part applied to the
    /// neighbour mean: W [own || mean] = own W_own + mean W_mean, so [own || mean] is never built.
    private func weightHalves(_ layer: Int, kind k: Int) -> (own: Matrix, aggregated: Matrix) {
        let w = weights[layer][k], half = w.rows / 2
        return (Matrix(rows: half, columns: w.columns, values: Array(w.values[0..<(half * w.columns)])),
                Matrix(rows: w.rows - half, columns: w.columns, values: Array(w.values[(half * w.columns)...])))
    }

    /// One layer for one kind: act(own W_own + mean(neighbours) W_mean + b).
    func layer(_ layer: Int, kind k: Int, own: Matrix, neighbourStates: Matrix,
                       neighbours: [Int32], offsets: [Int]) -> (aggregated: Matrix, output: Matrix) {
        let aggregated = NeighbourMean.forward(neighbourStates, indices: neighbours, offsets: offsets)
        let (ownWeights, aggregatedWeights) = weightHalves(layer, kind: k)
        var output = MatrixProduct.forward(own, ownWeights)
        MatrixProduct.accumulate(aggregated, aggregatedWeights, into: &output)
        output.addRowVector(biases[layer][k])
        if layer < layers - 1 { ReLU.apply(&output) }
        return (aggregated, output)
    }

    func forward(_ plan: ComputationPlan) -> ForwardState {
        forward(plan, inputs: kinds.indices.map { RowGather.forward(embeddings[$0], indices: plan.nodes[0][$0]) })
    }

    /// The forward pass from given level-0 states (one matrix per kind, the embedding rows of
    /// `plan.nodes[0][kind]` in order): how a sharded job runs it with rows pulled from their owners.
    func forward(_ plan: ComputationPlan, inputs: [Matrix]) -> ForwardState {
        var levels: [[Matrix]] = [inputs]
        var inputs: [[(own: Matrix, aggregated: Matrix)]] = []
        for l in 0..<layers {
            var next: [Matrix] = [], layerInputs: [(own: Matrix, aggregated: Matrix)] = []
            for (k, kind) in kinds.enumerated() {
                let block = plan.blocks[l][k]
                let own = levels[l][k].prefixRows(block.destinationCount)
                let (aggregated, output) = layer(l, kind: k, own: own, neighbourStates: levels[l][kind.neighbourKind],
                                                 neighbours: block.neighbourPositions, offsets: block.offsets)
                next.append(output)
                layerInputs.append((own, aggregated))
            }
            levels.append(next)
            inputs.append(layerInputs)
        }
        return ForwardState(levels: levels, inputs: inputs)
    }

    /// Gradients of every parameter; embedding gradients are sparse (touched rows only).
    struct Gradients {
        var embeddings: [SparseRowGradient]
        var weights: [[Matrix]]
        var biases: [[Matrix]]
    }

    /// Back-propagates gradients of the top-level states (one matrix per kind, level L's shape).
    func backward(_ plan: ComputationPlan, state: ForwardState, outputGradients: [Matrix]) -> Gradients {
        var upstream = outputGradients
        var weightGradients = [[Matrix]](repeating: [], count: layers)
        var biasGradients = [[Matrix]](repeating: [], count: layers)
        for l in stride(from: layers - 1, through: 0, by: -1) {
            var lower = kinds.indices.map { Matrix(rows: plan.nodes[l][$0].count, columns: kinds[$0].dimension) }
            var layerWeights: [Matrix] = [], layerBiases: [Matrix] = []
            for (k, kind) in kinds.enumerated() {
                let block = plan.blocks[l][k]
                // Moved out of `upstream` (replaced below) so the in-place ReLU does not copy it.
                var outputGradient = Matrix(rows: 0, columns: 0)
                swap(&outputGradient, &upstream[k])
                if l < layers - 1 { ReLU.backward(&outputGradient, output: state.levels[l + 1][k]) }
                let (own, aggregated) = state.inputs[l][k]
                // dW = [own^T dY ; mean^T dY], stacked by rows like W.
                let ownWeightGradient = MatrixProduct.forward(own, outputGradient, transposeA: true)
                let aggregatedWeightGradient = MatrixProduct.forward(aggregated, outputGradient, transposeA: true)
                layerWeights.append(Matrix(rows: 2 * kind.dimension, columns: kind.dimension,
                                           values: ownWeightGradient.values + aggregatedWeightGradient.values))
                layerBiases.append(outputGradient.columnSums())
                let (ownWeights, aggregatedWeights) = weightHalves(l, kind: k)
                let ownGradient = MatrixProduct.forward(outputGradient, ownWeights, transposeB: true)
                let aggregatedGradient = MatrixProduct.forward(outputGradient, aggregatedWeights, transposeB: true)
                lower[k].addPrefixRows(ownGradient)
                NeighbourMean.backward(outputGradient: aggregatedGradient, indices: block.neighbourPositions,
                                       offsets: block.offsets, into: &lower[kind.neighbourKind])
            }
            weightGradients[l] = layerWeights
            biasGradients[l] = layerBiases
            upstream = lower
        }
        let embeddingGradients = kinds.indices.map {
            // Level-0 nodes of a plan are distinct, so their rows need no de-duplication.
            SparseRowGradient(distinctIndices: plan.nodes[0][$0], gradients: upstream[$0])
        }
        return Gradients(embeddings: embeddingGradients, weights: weightGradients, biases: biasGradients)
    }

    /// Final states of every node, layer by layer over the whole graph (neighbourhoods sampled as in
    /// training, from a generator seeded by `seed`, in fixed chunks so results do not depend on the
    /// number of cores). Returns one (N x d_k) matrix per kind. O(L (E' d + N d^2)).
    func inferStates(graph: DirectedGraph, seed: UInt64) -> [Matrix] {
        let views = GraphViews(graph, kinds: kinds)
        var states = embeddings
        let n = graph.nodeCount
        let chunkCount = 16
        for l in 0..<layers {
            var next: [Matrix] = []
            for (k, kind) in kinds.enumerated() {
                let sampleGraph = views.graph(for: kind)
                var chunks = [(neighbours: [Int32], counts: [Int])](repeating: ([], []), count: chunkCount)
                chunks.withUnsafeMutableBufferPointer { buffer in
                    let output = SharedPointer(buffer.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                        var generator = SeededGenerator(seed: seed &+ UInt64(l * 1_000_003 + k * 1009 + chunk))
                        var neighbours: [Int32] = [], counts: [Int] = []
                        for node in (n * chunk / chunkCount)..<(n * (chunk + 1) / chunkCount) {
                            let before = neighbours.count
                            sampler.sample(Int32(node), direction: kind.direction, in: sampleGraph, into: &neighbours, using: &generator)
                            counts.append(neighbours.count - before)
                        }
                        output[chunk] = (neighbours, counts)
                    }
                }
                var offsets = [0]
                offsets.reserveCapacity(n + 1)
                for chunk in chunks { for count in chunk.counts { offsets.append(offsets.last! + count) } }
                let neighbours = chunks.flatMap(\.neighbours)
                next.append(layer(l, kind: k, own: states[k], neighbourStates: states[kind.neighbourKind],
                                  neighbours: neighbours, offsets: offsets).output)
            }
            states = next
        }
        return states
    }

    /// The fitted related-items model over `graph`: source = the score pairs' source kinds side by
    /// side, target = their target kinds, so s_u . t_v sums the pairs' dot products.
    public func relatedItemModel(graph: DirectedGraph, method: String, seed: UInt64) -> RelatedItemModel {
        let (source, target) = scoreSides(of: inferStates(graph: graph, seed: seed))
        return RelatedItemModel(method: method, graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
    }
}

extension Matrix {
    /// The first `count` rows.
    func prefixRows(_ count: Int) -> Matrix {
        count == rows ? self : Matrix(rows: count, columns: columns, values: Array(values[0..<(count * columns)]))
    }

    /// Adds `other` into this matrix's first `other.rows` rows.
    mutating func addPrefixRows(_ other: Matrix) {
        precondition(other.columns == columns && other.rows <= rows, "addPrefixRows: shape mismatch")
        for i in 0..<other.count { values[i] += other.values[i] }
    }
}
