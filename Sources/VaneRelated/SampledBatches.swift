import Foundation
import VaneGraph
import VaneTensor

/// Mini-batches of one training epoch, sampled in advance: for timing the training step apart from
/// sampling, and for handing the very same batches to a peer implementation (PyTorch in
/// `Benchmarks/`) through a safetensors file.
///
/// Export layout, batch b, kind k, level or layer l: `b.pairs` I32 (P x 2) source and target ids,
/// `b.labels` / `b.weights` F32 (P), `b.source_rows.k` / `b.target_rows.k` I32 (P, rows in the top
/// level; absent when unused), `b.nodes.l.k` I32 (node ids of level l), `b.positions.l.k` I32
/// (sampled neighbours' rows in the neighbour kind's level l), `b.offsets.l.k` I32 (CSR by
/// destination; destinations are the first rows of level l + 1). Metadata: the model's shape.
public struct SampledBatches: Sendable {
    public let configuration: DirectedGNNConfiguration
    public let nodeCount: Int
    let kinds: [RepresentationKind]
    let sampler: any NeighbourSampler
    let batches: [TrainingBatch]
    /// Seconds the sampling took (negatives, query sets and neighbourhood plans).
    public let samplingSeconds: Double

    public var count: Int { batches.count }
    public var positiveEdges: Int { batches.reduce(0) { $0 + $1.positiveCount } }

    /// Embedding floats per node over all representation kinds (96 for the default hybrid structure:
    /// three kinds of 32); the optimiser keeps two moments of each.
    public var embeddingFloatsPerNode: Int { kinds.reduce(0) { $0 + $1.dimension } }

    /// The work a step does, as means per batch: distinct nodes at each level of the plans (all
    /// kinds; level 0 holds the embedding rows looked up) and sampled neighbour edges (all layers).
    public var meanPlanSize: (nodesPerLevel: [Double], sampledEdges: Double) {
        guard let first = batches.first else { return ([], 0) }
        var nodes = [Double](repeating: 0, count: first.plan.nodes.count), edges = 0.0
        for batch in batches {
            for (level, kinds) in batch.plan.nodes.enumerated() { nodes[level] += Double(kinds.reduce(0) { $0 + $1.count }) }
            edges += Double(batch.plan.blocks.reduce(0) { $0 + $1.reduce(0) { $0 + $1.neighbourPositions.count } })
        }
        return (nodes.map { $0 / Double(batches.count) }, edges / Double(batches.count))
    }

    /// Samples the first `limit` batches (all when nil) of one epoch by the rules
    /// `DirectedGNNTrainer.fit` uses (shuffled edges, negatives, reversed edges, neighbourhood
    /// plans), from `seed`. O(sampled edges).
    public init(graph: DirectedGraph, configuration: DirectedGNNConfiguration, limit: Int? = nil, seed: UInt64) throws(RelatedError) {
        try configuration.validate()
        guard graph.edgeCount > 0 else { throw RelatedError(.invalidRequest, "cannot sample batches from a graph without edges") }
        let started = Date()
        let trainer = try DirectedGNNTrainer(configuration: configuration)
        var generator = SeededGenerator(seed: seed)
        let (sampler, _) = try trainer.makeSampler(for: graph)
        let kinds = configuration.structure.kinds(dimension: configuration.dimension)
        let views = GraphViews(graph, kinds: kinds)
        var edges = graph.edges
        edges.seededShuffle(using: &generator)
        let batchSize = configuration.effectiveBatchSize(trainingEdges: edges.count)
        let total = (edges.count + batchSize - 1) / batchSize
        var scratch = [Int32](repeating: -1, count: graph.nodeCount)
        var batches: [TrainingBatch] = []
        for b in 0..<min(total, limit ?? total) {
            let positives = edges[(b * batchSize)..<min(edges.count, (b + 1) * batchSize)]
            batches.append(TrainingBatch(positives: positives, graph: graph, views: views, kinds: kinds, configuration: configuration,
                                         sampler: sampler, generator: &generator, scratch: &scratch))
        }
        self.configuration = configuration
        self.nodeCount = graph.nodeCount
        self.kinds = kinds
        self.sampler = sampler
        self.batches = batches
        samplingSeconds = Date().timeIntervalSince(started)
    }

    /// Trains a fresh model (seeded) for one pass over the batches; returns the seconds the steps
    /// took (sampling excluded) and the mean loss.
    public func trainOnePass(seed: UInt64) -> (seconds: Double, meanLoss: Double) {
        var generator = SeededGenerator(seed: seed)
        var model = DirectedGNN(configuration: configuration, nodeCount: nodeCount, sampler: sampler, generator: &generator)
        var step = TrainingStep(model: model, configuration: configuration)
        let started = Date()
        var lossSum = 0.0
        for batch in batches { lossSum += step.step(&model, on: batch) }
        return (Date().timeIntervalSince(started), lossSum / Double(max(1, batches.count)))
    }

    /// The batches as safetensors (layout in the type's documentation).
    public func safetensors() throws -> Data {
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (b, batch) in batches.enumerated() {
            var pairs: [Int32] = []
            pairs.reserveCapacity(2 * batch.sources.count)
            for (s, t) in zip(batch.sources, batch.targets) { pairs.append(s); pairs.append(t) }
            tensors["\(b).pairs"] = .int32(pairs, shape: [batch.sources.count, 2])
            tensors["\(b).labels"] = .float32(Matrix(column: batch.labels))
            tensors["\(b).weights"] = .float32(Matrix(column: batch.weights))
            for k in kinds.indices {
                if !batch.sourceRows[k].isEmpty { tensors["\(b).source_rows.\(k)"] = .int32(batch.sourceRows[k], shape: [batch.sourceRows[k].count]) }
                if !batch.targetRows[k].isEmpty { tensors["\(b).target_rows.\(k)"] = .int32(batch.targetRows[k], shape: [batch.targetRows[k].count]) }
                for level in batch.plan.nodes.indices {
                    tensors["\(b).nodes.\(level).\(k)"] = .int32(batch.plan.nodes[level][k], shape: [batch.plan.nodes[level][k].count])
                }
                for (l, blocks) in batch.plan.blocks.enumerated() {
                    let block = blocks[k]
                    tensors["\(b).positions.\(l).\(k)"] = .int32(block.neighbourPositions, shape: [block.neighbourPositions.count])
                    tensors["\(b).offsets.\(l).\(k)"] = .int32(block.offsets.map { Int32($0) }, shape: [block.offsets.count])
                }
            }
        }
        let pairs = configuration.structure.scorePairs
        let metadata = [
            "batches": String(batches.count), "nodes": String(nodeCount), "layers": String(configuration.layers),
            "kinds": String(kinds.count), "dimensions": kinds.map { String($0.dimension) }.joined(separator: ","),
            "neighbour_kinds": kinds.map { String($0.neighbourKind) }.joined(separator: ","),
            "score_pairs": pairs.map { "\($0.source):\($0.target)" }.joined(separator: ","),
            "positives": batches.map { String($0.positiveCount) }.joined(separator: ","),
            "learning_rate": String(configuration.learningRate),
        ]
        return try SafeTensors.encode(tensors, metadata: metadata)
    }
}
