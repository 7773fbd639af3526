import Foundation
import VaneGraph
import VaneMetrics
import VaneTensor

extension LightGCNBaseline {
    /// `fit` over the ranks of `context`: each rank holds only its own nodes' rows of E0, of their
    /// Adam moments and of every propagated layer (`context.ownedNodes`), and no rank holds N x d
    /// until rank 0 gathers the chosen embeddings. Validation ranks each query against every item
    /// but the source's known targets, `graph`'s and `validation`'s (`fit` with `known` = both).
    ///
    /// The same training as `fit`, step for step: every rank draws the same E0 stream (keeping its own
    /// rows), the same validation queries, negatives and edge sample from the seed. Propagation
    /// E_{k+1} = D^-1/2 A D^-1/2 E_k for a rank's rows needs its neighbours' rows of E_k: pulled from
    /// their owners (the halo, fixed for the job: its pull is planned once, `planPull(ids:)`, and each
    /// propagation moves rows only, `rows(of:plan:)`). The matrix is symmetric, so the
    /// backward pass through the K layers is the same pull-and-propagate. A sampled edge u -> v is
    /// scored by the owner of u and by the owner of v, each pulling the other endpoint's and the
    /// negatives' final rows: both compute the same softmax, and each keeps the gradient of its own
    /// row, so no row gradient is pushed. The negatives' gradient (k x d) is summed over the edges
    /// whose source a rank owns, then over ranks (`sum`). Adam is element-wise, so each rank's step
    /// on its rows is the one-process step. Validation MRR is the filtered full ranking counted over
    /// the ranks (`ShardedValidationRanking`), so early stopping is the same on every rank.
    ///
    /// Results equal `fit`'s up to the order of float sums. Returns on rank 0 the model over `graph`,
    /// the steps to the best evaluation and the chosen E0 (as `fit`); nil elsewhere. Collective.
    /// Per rank per step: 2K planned pulls of halo rows, one pull of the step's endpoint and negative rows,
    /// one sum of k x d floats; memory O((owned + halo) x d) plus the replicated graph and edge sample.
    public func fitDataParallel(graph: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64,
                                context: inout some DataParallelContext) throws -> (model: RelatedItemModel, steps: Int, freeEmbeddings: Matrix)? {
        guard dimension >= 1, layers >= 0, negatives >= 1, maximumSteps >= 1 else {
            throw RelatedError(.invalidConfiguration, "lightgcn needs dimension, negatives and steps >= 1 and layers >= 0")
        }
        let n = graph.nodeCount, d = dimension
        let allEdges = graph.edges
        guard !allEdges.isEmpty else { throw RelatedError(.invalidRequest, "cannot train on a graph without edges") }
        let propagation = try OwnedPropagation(graph, context: &context)
        let owned = propagation.ownedNodes.count
        var generator = SeededGenerator(seed: seed ^ 0x11C)
        // E0: the one-process draw, row by row, keeping this rank's rows (others' rows skipped, not drawn).
        var embeddings = Matrix(rows: owned, columns: d)
        for u in 0..<n {
            let row = Int(propagation.localRow[u])
            guard row >= 0 else { generator.skipGaussians(d); continue }
            for c in 0..<d { embeddings.values[row * d + c] = 0.1 * Float(generator.nextGaussian()) }
        }
        var adam = Adam(parameterCount: owned * d, configuration: AdamConfiguration(learningRate: learningRate))
        var queries = validation
        queries.seededSample(keeping: validationQueries, using: &generator)
        let ranking = ShardedValidationRanking(graph: graph, validation: validation, queries: queries, ownedNodes: propagation.ownedNodes)
        var best: (mrr: Double, embeddings: Matrix, step: Int)?
        var stale = 0, steps = 0
        // Per node, its row among the step's pulled final rows, or -1 (reset after each step).
        var slot = [Int32](repeating: -1, count: n)
        for step in 1...maximumSteps {
            steps = step
            let final = try propagation.layerMean(embeddings, layers: layers, context: &context)
            let negativeIDs = (0..<negatives).map { _ in Int32(generator.nextIndex(below: n)) }
            let edges = allEdges.seededSampled(keeping: edgesPerStep, using: &generator)
            // The step's edges with an endpoint here, and the final rows they and the negatives need.
            let mine = edges.filter { propagation.localRow[Int($0.source)] >= 0 || propagation.localRow[Int($0.target)] >= 0 }
            var ids: [Int32] = []
            func need(_ id: Int32) {
                guard slot[Int(id)] < 0 else { return }
                slot[Int(id)] = 0
                ids.append(id)
            }
            for edge in mine { need(edge.source); need(edge.target) }
            for id in negativeIDs { need(id) }
            ids.sort()
            for (row, id) in ids.enumerated() { slot[Int(id)] = Int32(row) }
            let pulled = try context.rows(of: final, ids: ids)
            let query = RowGather.forward(pulled, indices: mine.map { slot[Int($0.source)] })
            let positive = RowGather.forward(pulled, indices: mine.map { slot[Int($0.target)] })
            let negative = RowGather.forward(pulled, indices: negativeIDs.map { slot[Int($0)] })
            for id in ids { slot[Int(id)] = -1 }
            let softmax = Self.sampledSoftmax(query: query, positive: positive, negative: negative, normaliser: edges.count)
            var logits = softmax.logits
            let (positiveCoefficient, positiveGradient) = (softmax.positiveCoefficient, softmax.positiveGradient)
            // dQuery = c_pos * positive + P_neg negative; dPositive = c_pos * query; dNegative = P_neg^T query,
            // added to this rank's rows in `fit`'s order (queries, positives, negatives).
            var queryGradient = MatrixProduct.forward(logits, negative)
            var finalGradient = Matrix(rows: owned, columns: d)
            for (e, edge) in mine.enumerated() {
                let source = Int(propagation.localRow[Int(edge.source)])
                if source >= 0 {
                    for c in 0..<d {
                        queryGradient.values[e * d + c] += positiveCoefficient[e] * positive.values[e * d + c]
                        finalGradient.values[source * d + c] += queryGradient.values[e * d + c]
                    }
                } else {
                    // Not this rank's source: the edge's share of the negatives' gradient is its owner's.
                    for j in 0..<negatives { logits.values[e * negatives + j] = 0 }
                }
            }
            for (e, edge) in mine.enumerated() {
                let target = Int(propagation.localRow[Int(edge.target)])
                guard target >= 0 else { continue }
                for c in 0..<d { finalGradient.values[target * d + c] += positiveGradient.values[e * d + c] }
            }
            var negativeGradient = MatrixProduct.forward(logits, query, transposeA: true).values
            try context.sum(&negativeGradient)
            for (j, id) in negativeIDs.enumerated() {
                let row = Int(propagation.localRow[Int(id)])
                guard row >= 0 else { continue }
                for c in 0..<d { finalGradient.values[row * d + c] += negativeGradient[j * d + c] }
            }
            var gradient = try propagation.layerMean(finalGradient, layers: layers, context: &context)
            for i in 0..<gradient.count { gradient.values[i] += l2 * embeddings.values[i] }
            adam.update(&embeddings, gradient: gradient)
            var diverged: [Float] = [embeddings.isFinite ? 0 : 1]
            try context.sum(&diverged)
            guard diverged[0] == 0 else { throw RelatedError(.diverged, "lightgcn diverged at step \(step); lower its learning rate") }
            if step % evaluationInterval == 0 || step == maximumSteps {
                let current = try propagation.layerMean(embeddings, layers: layers, context: &context)
                let mrr = try ranking.meanReciprocalRank(source: current, target: current, context: &context)
                if best == nil || mrr > best!.mrr { best = (mrr, embeddings, step); stale = 0 } else { stale += 1 }
                if stale >= patience { break }
            }
        }
        let chosen = best?.embeddings ?? embeddings, chosenStep = best?.step ?? steps
        // Training state freed before rank 0 gathers N x d twice.
        adam = Adam(parameterCount: 0, configuration: adam.configuration)
        embeddings = Matrix(rows: 0, columns: d)
        best = nil
        let final = try propagation.layerMean(chosen, layers: layers, context: &context)
        let gatheredFinal = try context.gather(final), gatheredFree = try context.gather(chosen)
        guard let gatheredFinal, let gatheredFree else { return nil }
        return (RelatedItemModel(method: "lightgcn", graph: graph, sourceEmbeddings: gatheredFinal, targetEmbeddings: gatheredFinal),
                chosenStep, gatheredFree)
    }

    /// `Propagation` for one rank's rows: each owned node's undirected neighbours, as rows of the
    /// pulled halo, with D^-1/2 of the owned nodes and of the halo's (from the replicated graph). The
    /// halo is the same at every propagation, so its pull is planned once (`planPull`).
    struct OwnedPropagation<Context: DataParallelContext> {
        let ownedNodes: [Int32]
        /// Per node, its row among this rank's rows, or -1.
        let localRow: [Int32]
        let offsets: [Int]
        /// Per neighbour entry, its row in the pulled matrix of `halo`.
        let slots: [Int32]
        /// The distinct neighbours of the owned nodes (sorted): the rows each propagation pulls.
        let halo: [Int32]
        /// D^-1/2 of each owned node (the output's scale) and of each halo node (the input's weight).
        let ownedScale: [Float], haloWeight: [Float]
        /// The context's plan for pulling `halo`.
        let haloPlan: Context.PullPlan

        /// Collective (plans the halo's pull).
        init(_ graph: DirectedGraph, context: inout Context) throws {
            let ownedNodes = context.ownedNodes
            self.ownedNodes = ownedNodes
            var localRow = [Int32](repeating: -1, count: graph.nodeCount)
            for (row, node) in ownedNodes.enumerated() { localRow[Int(node)] = Int32(row) }
            self.localRow = localRow
            var offsets = [0], entries: [Int32] = []
            for node in ownedNodes {
                Propagation.forEachNeighbour(of: node, in: graph) { entries.append($0) }
                offsets.append(entries.count)
            }
            self.offsets = offsets
            ownedScale = ownedNodes.indices.map { Propagation.inverseRootDegree(offsets[$0 + 1] - offsets[$0]) }
            halo = Array(Set(entries)).sorted()
            haloWeight = halo.map { node in
                var degree = 0
                Propagation.forEachNeighbour(of: node, in: graph) { _ in degree += 1 }
                return Propagation.inverseRootDegree(degree)
            }
            var haloRow = [Int32: Int32](minimumCapacity: halo.count)
            for (row, node) in halo.enumerated() { haloRow[node] = Int32(row) }
            slots = entries.map { haloRow[$0]! }
            // Every slot is a row of the pulled halo, one input weight each (what `propagate` relies on).
            let haloCount = halo.count
            precondition(haloWeight.count == haloCount && slots.allSatisfy { Int($0) < haloCount }, "OwnedPropagation: a slot outside the halo")
            haloPlan = try context.planPull(ids: halo)
        }

        /// This rank's rows of D^-1/2 A D^-1/2 x, `local` its rows of x, summed in `Propagation.apply`'s
        /// order, so one rank gives its values. Collective (one pull).
        func apply(_ local: Matrix, context: inout Context) throws -> Matrix {
            let pulled = try context.rows(of: local, plan: haloPlan)
            return Propagation.propagate(pulled, rows: ownedNodes.count, columns: local.columns, offsets: offsets, entries: slots,
                                         inputWeight: haloWeight, outputScale: ownedScale)
        }

        /// This rank's rows of mean_{k=0..K} P^k x. Collective (K pulls).
        func layerMean(_ local: Matrix, layers: Int, context: inout Context) throws -> Matrix {
            try Propagation.layerMean(local, layers: layers) { try apply($0, context: &context) }
        }
    }
}
