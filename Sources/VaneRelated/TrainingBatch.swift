import VaneGraph
import VaneTensor

/// One sampled mini-batch: the scored pairs (positives, uniform negatives, reversed one-way edges)
/// with labels and weights, the distinct query nodes of each kind, and the computation plan.
///
/// Sampling is apart from the step (as PyG keeps loader and model apart) so batches can be fixed in
/// advance, timed on their own, or handed to a peer implementation.
struct TrainingBatch: Sendable {
    let positiveCount: Int
    let sources: [Int32]
    let targets: [Int32]
    let labels: [Float]
    let weights: [Float]
    /// Per kind: the row in that kind's top level of each pair's source (or target); empty when the
    /// kind is not a source (target) kind of a score pair.
    let sourceRows: [[Int32]]
    let targetRows: [[Int32]]
    let plan: ComputationPlan

    /// With `drawSeed`, each positive's negatives come from a generator seeded by (drawSeed, edge) and
    /// the plan samples per node (`ComputationPlan`'s `nodeSeed`), so any split of a batch over ranks
    /// draws exactly what the whole batch would in one process; without it, everything comes from
    /// `generator`.
    init(positives: ArraySlice<DirectedGraph.Edge>, graph: DirectedGraph, views: GraphViews, kinds: [RepresentationKind],
         configuration c: DirectedGNNConfiguration, sampler: any NeighbourSampler,
         generator: inout SeededGenerator, scratch: inout [Int32], drawSeed: UInt64? = nil) {
        var sources: [Int32] = [], targets: [Int32] = [], labels: [Float] = [], weights: [Float] = []
        let negativeWeight = c.negativesPerPositive > 0 ? c.negativeWeight / Float(c.negativesPerPositive) : 0
        for edge in positives {
            sources.append(edge.source); targets.append(edge.target); labels.append(1); weights.append(c.positiveWeight)
            var edgeGenerator = drawSeed.map {
                SeededGenerator(seed: $0 ^ (UInt64(UInt32(bitPattern: edge.source)) << 32 | UInt64(UInt32(bitPattern: edge.target))))
            }
            for _ in 0..<c.negativesPerPositive {
                sources.append(edge.source)
                targets.append(Int32(edgeGenerator != nil ? edgeGenerator!.nextIndex(below: graph.nodeCount) : generator.nextIndex(below: graph.nodeCount)))
                labels.append(0); weights.append(negativeWeight)
            }
            if c.reverseWeight > 0 && !graph.hasEdge(from: edge.target, to: edge.source) {
                sources.append(edge.target); targets.append(edge.source); labels.append(0); weights.append(c.reverseWeight)
            }
        }
        // Distinct query nodes per kind, and each pair's row in its kind's top level.
        let pairs = c.structure.scorePairs
        var queries = [[Int32]](repeating: [], count: kinds.count)
        var sourceRows = [[Int32]](repeating: [], count: kinds.count)
        var targetRows = [[Int32]](repeating: [], count: kinds.count)
        for k in kinds.indices {
            let asSource = pairs.contains { $0.source == k }, asTarget = pairs.contains { $0.target == k }
            func row(_ node: Int32) -> Int32 {
                if scratch[Int(node)] < 0 {
                    scratch[Int(node)] = Int32(queries[k].count)
                    queries[k].append(node)
                }
                return scratch[Int(node)]
            }
            if asSource { sourceRows[k] = sources.map(row) }
            if asTarget { targetRows[k] = targets.map(row) }
            for node in queries[k] { scratch[Int(node)] = -1 }
        }
        positiveCount = positives.count
        self.sources = sources
        self.targets = targets
        self.labels = labels
        self.weights = weights
        self.sourceRows = sourceRows
        self.targetRows = targetRows
        plan = ComputationPlan(queries: queries, layers: c.layers, kinds: kinds, views: views,
                               sampler: sampler, generator: &generator, scratch: &scratch,
                               nodeSeed: drawSeed.map { $0 ^ 0x9C0D_E5EE_D000_0001 })
    }
}

/// The optimiser state of a model and the step that applies one batch: forward, weighted BCE on
/// the pairs' logits, backward, sparse Adam on the embedding rows touched, dense Adam elsewhere.
struct TrainingStep: Sendable {
    let configuration: DirectedGNNConfiguration
    var embeddingOptimisers: [SparseAdam]
    var weightOptimisers: [[Adam]]
    var biasOptimisers: [[Adam]]

    init(model: DirectedGNN, configuration c: DirectedGNNConfiguration) {
        configuration = c
        let adamSettings = AdamConfiguration(learningRate: c.learningRate)
        embeddingOptimisers = model.kinds.indices.map {
            SparseAdam(rows: model.embeddings[$0].rows, columns: model.kinds[$0].dimension, configuration: adamSettings)
        }
        let denseSettings = AdamConfiguration(learningRate: c.learningRate, weightDecay: c.weightDecay)
        weightOptimisers = model.weights.map { $0.map { Adam(parameterCount: $0.count, configuration: denseSettings) } }
        biasOptimisers = model.biases.map { $0.map { Adam(parameterCount: $0.count, configuration: adamSettings) } }
    }

    /// Applies one batch; returns its loss (sum of weighted BCE over pairs / positives).
    mutating func step(_ model: inout DirectedGNN, on batch: TrainingBatch) -> Double {
        let (loss, gradients) = Self.gradients(model, on: batch, inputs: nil)
        guard let gradients else { return loss }
        for k in model.kinds.indices {
            embeddingOptimisers[k].update(&model.embeddings[k], gradient: gradients.embeddings[k])
        }
        applyDense(gradients, to: &model)
        return loss
    }

    /// Dense Adam on the layer weights and biases.
    mutating func applyDense(_ gradients: DirectedGNN.Gradients, to model: inout DirectedGNN) {
        for l in 0..<configuration.layers {
            for k in model.kinds.indices {
                weightOptimisers[l][k].update(&model.weights[l][k], gradient: gradients.weights[l][k])
                biasOptimisers[l][k].update(&model.biases[l][k], gradient: gradients.biases[l][k])
            }
        }
    }

    /// The loss of one batch and the gradients of every parameter (nil when the loss is not
    /// finite), from the model's own embeddings or from `inputs` (level-0 rows, as `forward(_:inputs:)`).
    static func gradients(_ model: DirectedGNN, on batch: TrainingBatch, inputs: [Matrix]?) -> (loss: Double, gradients: DirectedGNN.Gradients?) {
        let c = model.configuration, pairs = c.structure.scorePairs
        let state = inputs.map { model.forward(batch.plan, inputs: $0) } ?? model.forward(batch.plan)
        let top = state.levels[c.layers]
        var logits = [Float](repeating: 0, count: batch.sources.count)
        var gathered: [(Matrix, Matrix)] = []
        for pair in pairs {
            let a = RowGather.forward(top[pair.source], indices: batch.sourceRows[pair.source])
            let b = RowGather.forward(top[pair.target], indices: batch.targetRows[pair.target])
            for (i, value) in RowDot.forward(a, b).enumerated() { logits[i] += value }
            gathered.append((a, b))
        }
        let scale = Float(batch.sources.count) / Float(batch.positiveCount)
        let loss = BinaryCrossEntropy.loss(logits: logits, labels: batch.labels, weights: batch.weights) * Double(scale)
        guard loss.isFinite else { return (loss, nil) }
        let logitGradient = BinaryCrossEntropy.gradient(logits: logits, labels: batch.labels, weights: batch.weights, scale: scale)
        var topGradients = model.kinds.indices.map { Matrix(rows: top[$0].rows, columns: model.kinds[$0].dimension) }
        for (pair, (a, b)) in zip(pairs, gathered) {
            let (gradientA, gradientB) = RowDot.backward(outputGradient: logitGradient, a: a, b: b)
            RowGather.accumulateBackward(outputGradient: gradientA, indices: batch.sourceRows[pair.source], into: &topGradients[pair.source])
            RowGather.accumulateBackward(outputGradient: gradientB, indices: batch.targetRows[pair.target], into: &topGradients[pair.target])
        }
        return (loss, model.backward(batch.plan, state: state, outputGradients: topGradients))
    }
}
