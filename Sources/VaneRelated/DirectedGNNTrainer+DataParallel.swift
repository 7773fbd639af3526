import Foundation
import VaneGraph
import VaneMetrics
import VaneTensor

extension DirectedGNNTrainer {
    /// `fit` on the ranks of a data-parallel job (synchronous data parallelism, as DistDGL trains
    /// GraphSAGE): every rank shuffles the training edges alike and walks the same global batches; a
    /// rank takes the batch's edges whose source it owns (`context.owner(of:)`), samples their plans
    /// with its own generator, pulls the level-0 embedding rows (`context.rows`), and computes the
    /// loss and gradients of its share. With B_r of the batch's B positives on rank r, the step's
    /// gradient is sum_r (B_r / B) g_r: the same weighting one process gives the whole batch, so the
    /// dense gradients are scaled and summed over ranks (`context.sum`) and every rank applies the same
    /// dense Adam step to its copy of the layer weights, and the row gradients are scaled and sent to
    /// the rows' owners, who sum them and take the sparse Adam step (`context.apply`).
    ///
    /// No rank ever holds every node's rows: after each epoch the ranks infer their own nodes' final
    /// states (`inferOwnStates`, neighbour states pulled from their owners) and rank the validation
    /// queries with each rank counting over its own items (`ShardedValidationRanking`: the filtered
    /// protocol of `LinkPredictionEvaluator`, the same MRR on every rank, so early stopping agrees);
    /// the best epoch keeps each rank's own rows. At the end the best epoch's states are inferred over
    /// each of `finalGraphs` (default: `graph` alone) and gathered on rank 0, the only place a whole
    /// model exists: one model per graph (e.g. the training graph a blend is fitted on, then the whole
    /// graph it serves).
    ///
    /// Negatives are drawn per edge and neighbourhoods per node, from generators seeded by (seed,
    /// epoch, batch, edge or node), so whatever the number of ranks the job computes what one process
    /// computes for the whole batch, up to the order of float sums. Differences from `fit`: that
    /// seeding (also in inference), and embeddings that start from the context's rows (N(0, 0.1^2)
    /// seeded by node id in `ShardedEmbeddingTable`): a different draw of the same training. Returns
    /// the best epoch's related-items models named `method`, one per final graph, on rank 0 (nil on
    /// the other ranks).
    /// Per-rank memory: the graph, its own rows with their Adam state and best-epoch copy, and the
    /// pulled neighbour rows of one piece of its nodes at a time.
    public func fitDataParallel(graph: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64,
                                finalGraphs: [DirectedGraph] = [], method: String = "hybrid",
                                context: inout some DataParallelContext,
                                progress: ((Event) -> Void)? = nil) throws -> (models: [RelatedItemModel]?, report: Report) {
        guard graph.edgeCount > 0 else { throw RelatedError(.invalidRequest, "cannot train on a graph without edges") }
        let started = Date()
        var generator = SeededGenerator(seed: seed)
        let (sampler, samplerDescription) = try makeSampler(for: graph)
        // Layer weights drawn alike on every rank; embedding rows live in the context.
        var model = DirectedGNN(configuration: configuration, nodeCount: 0, sampler: sampler, generator: &generator)
        let c = configuration
        var optimiser = TrainingStep(model: model, configuration: c)
        let views = GraphViews(graph, kinds: model.kinds)
        var edges = graph.edges
        var scratch = [Int32](repeating: -1, count: graph.nodeCount)
        let ranking = ShardedValidationRanking(graph: graph, validation: validation, configuration: c, seed: seed, ownedNodes: context.ownedNodes)
        var stopping = EarlyStopping<(model: DirectedGNN, rows: [Matrix])>(patience: c.patience, hasQueries: !ranking.queries.isEmpty)
        let kindIndices = model.kinds.indices
        func ownRows(_ context: some DataParallelContext) -> [Matrix] { kindIndices.map { context.ownedRows(kind: $0) } }
        var rankGenerator = SeededGenerator(seed: seed ^ (UInt64(context.rank + 1) &* 0xD1B5_4A32_D192_ED03))

        var report = Report()
        report.trainingEdges = graph.edgeCount
        report.samplerDescription = samplerDescription
        let batchSize = c.effectiveBatchSize(trainingEdges: edges.count)
        report.batchSize = batchSize
        let batches = (edges.count + batchSize - 1) / batchSize
        report.epochCap = c.epochCap(trainingEdges: edges.count)
        for epoch in 1...report.epochCap {
            edges.seededShuffle(using: &generator)
            var epochLoss = 0.0
            for batch in 0..<batches {
                let positives = edges[(batch * batchSize)..<min(edges.count, (batch + 1) * batchSize)]
                let mine = positives.filter { context.owner(of: $0.source) == context.rank }
                let share = Float(mine.count) / Float(positives.count)
                var loss = 0.0
                var gradients: DirectedGNN.Gradients?
                if !mine.isEmpty {
                    let drawSeed = seed ^ (UInt64(epoch) << 40) ^ (UInt64(batch) &* 0xA076_1D64_78BD_642F)
                    let sampled = TrainingBatch(positives: mine[...], graph: graph, views: views, kinds: model.kinds, configuration: c,
                                                sampler: sampler, generator: &rankGenerator, scratch: &scratch, drawSeed: drawSeed)
                    var inputs: [Matrix] = []
                    for k in model.kinds.indices { inputs.append(try context.rows(kind: k, ids: sampled.plan.nodes[0][k])) }
                    (loss, gradients) = TrainingStep.gradients(model, on: sampled, inputs: inputs)
                } else {
                    for k in model.kinds.indices { _ = try context.rows(kind: k, ids: []) }
                }
                // Dense gradients, this rank's share, summed over ranks; the loss rides along (last entry).
                var dense: [Float] = []
                for l in 0..<c.layers {
                    for k in model.kinds.indices {
                        let w = model.weights[l][k], b = model.biases[l][k]
                        dense += gradients.map { $0.weights[l][k].values.map { $0 * share } } ?? [Float](repeating: 0, count: w.values.count)
                        dense += gradients.map { $0.biases[l][k].values.map { $0 * share } } ?? [Float](repeating: 0, count: b.values.count)
                    }
                }
                dense.append(loss.isFinite ? Float(loss) * share : .nan)
                try context.sum(&dense)
                let batchLoss = Double(dense.removeLast())
                guard batchLoss.isFinite else {
                    throw RelatedError(.diverged, "training diverged (loss \(batchLoss)) in epoch \(epoch); lower the learning rate (now \(c.learningRate))")
                }
                var summed = DirectedGNN.Gradients(embeddings: [], weights: [], biases: [])
                var offset = 0
                for l in 0..<c.layers {
                    var layerWeights: [Matrix] = [], layerBiases: [Matrix] = []
                    for k in model.kinds.indices {
                        let w = model.weights[l][k], b = model.biases[l][k]
                        layerWeights.append(Matrix(rows: w.rows, columns: w.columns, values: Array(dense[offset..<(offset + w.values.count)])))
                        offset += w.values.count
                        layerBiases.append(Matrix(rows: b.rows, columns: b.columns, values: Array(dense[offset..<(offset + b.values.count)])))
                        offset += b.values.count
                    }
                    summed.weights.append(layerWeights)
                    summed.biases.append(layerBiases)
                }
                optimiser.applyDense(summed, to: &model)
                for k in model.kinds.indices {
                    var rows = gradients?.embeddings[k].gradients ?? Matrix(rows: 0, columns: model.kinds[k].dimension)
                    rows.scale(by: share)
                    try context.apply(kind: k, gradient: SparseRowGradient(distinctIndices: gradients?.embeddings[k].rowIndices ?? [], gradients: rows))
                }
                epochLoss += batchLoss
                progress?(.batch(epoch: epoch, batch: batch + 1, batches: batches, loss: batchLoss))
            }
            epochLoss /= Double(batches)
            let rows = ownRows(context)
            var mrr = 0.0
            if !ranking.queries.isEmpty {
                let states = try model.inferOwnStates(graph: graph, seed: seed, ownEmbeddings: rows, context: &context)
                let (source, target) = model.scoreSides(of: states)
                mrr = try ranking.meanReciprocalRank(source: source, target: target, context: &context)
            }
            if stopping.record(epoch: epoch, loss: epochLoss, mrr: mrr, snapshot: { (model, rows) }, report: &report, progress: progress) { break }
        }
        var best: (model: DirectedGNN, rows: [Matrix]) = stopping.best?.snapshot ?? (model, ownRows(context))
        // Only the best epoch's own rows are needed from here on: free the tables, the optimiser
        // state and the other snapshots before rank 0 assembles the whole model.
        stopping = EarlyStopping(patience: c.patience, hasQueries: false)
        context.releaseTables()
        var models: [RelatedItemModel] = []
        for finalGraph in finalGraphs.isEmpty ? [graph] : finalGraphs {
            let states = try best.model.inferOwnStates(graph: finalGraph, seed: seed, ownEmbeddings: best.rows, context: &context)
            let (source, target) = best.model.scoreSides(of: states)
            let allSources = try context.gather(source), allTargets = try context.gather(target)
            if let allSources, let allTargets {
                models.append(RelatedItemModel(method: method, graph: finalGraph, sourceEmbeddings: allSources, targetEmbeddings: allTargets))
            }
        }
        best.rows = []
        report.seconds = Date().timeIntervalSince(started)
        return (models.isEmpty ? nil : models, report)
    }
}
