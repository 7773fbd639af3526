import Dispatch
import Foundation
import VaneGraph
import VaneMetrics
import VaneTensor

/// LightGCN (He et al. 2020, "LightGCN: Simplifying and Powering Graph Convolution Network for
/// Recommendation") on the undirected version of a graph: free embeddings E0 (N x d), propagated
/// without weights or non-linearities, E_{k+1} = D^-1/2 A D^-1/2 E_k, final F = mean_{k=0..K} E_k,
/// score(u -> v) = F_u . F_v (symmetric, so direction AUC is 1/2 by construction).
///
/// Each step scores up to `edgesPerStep` training edges u -> v (all of them on small graphs, a fresh
/// seeded sample otherwise) against `negatives` uniform items
/// shared by the step (sampled softmax), back-propagates through the K propagations (the matrix is
/// symmetric, so the backward pass is the same propagation) and takes an Adam step on E0, with L2 on
/// E0. Early stopping on validation MRR every `evaluationInterval` steps.
/// Cost per step: 2K sparse products O(K (N + E) d) plus O(E x negatives x d) for the loss.
public struct LightGCNBaseline: Sendable {
    public var dimension = 64
    public var layers = 3
    public var negatives = 64
    /// Training edges scored per step (a seeded sample of them on larger graphs).
    public var edgesPerStep = 65_536
    public var learningRate: Float = 0.01
    public var l2: Float = 1e-5
    public var maximumSteps = 400
    public var evaluationInterval = 20
    /// Evaluations without improvement before stopping (3 x 20 steps past the best; 2 cost CiteSeer
    /// 0.01 test MRR).
    public var patience = 3
    public var validationQueries = 1000

    public init() {}

    /// The undirected neighbour lists and normalisation of `graph`.
    struct Propagation {
        let offsets: [Int]
        let neighbours: [Int32]
        let inverseRootDegree: [Float]

        init(_ graph: DirectedGraph) {
            let n = graph.nodeCount
            var offsets = [0]
            var neighbours: [Int32] = []
            var rootDegree = [Float](repeating: 0, count: n)
            for u in 0..<n {
                let start = neighbours.count
                Self.forEachNeighbour(of: Int32(u), in: graph) { neighbours.append($0) }
                offsets.append(neighbours.count)
                rootDegree[u] = Self.inverseRootDegree(neighbours.count - start)
            }
            precondition(neighbours.allSatisfy { Int($0) < n }, "Propagation: a neighbour outside the graph")
            self.offsets = offsets
            self.neighbours = neighbours
            inverseRootDegree = rootDegree
        }

        /// `u`'s neighbours in the undirected graph, in id order: its out- and in-neighbours (each
        /// sorted) merged without duplicates. O(degree).
        static func forEachNeighbour(of u: Int32, in graph: DirectedGraph, _ body: (Int32) -> Void) {
            let out = graph.outNeighbours(of: u), into = graph.inNeighbours(of: u)
            var i = out.startIndex, j = into.startIndex
            while i < out.endIndex || j < into.endIndex {
                if j == into.endIndex || (i < out.endIndex && out[i] < into[j]) { body(out[i]); i += 1 }
                else if i == out.endIndex || into[j] < out[i] { body(into[j]); j += 1 }
                else { body(out[i]); i += 1; j += 1 }
            }
        }

        /// D^-1/2 of a node with `degree` undirected neighbours; 0 for none.
        static func inverseRootDegree(_ degree: Int) -> Float { degree > 0 ? 1 / Float(degree).squareRoot() : 0 }

        /// D^-1/2 A D^-1/2 x, rows on all cores.
        func apply(_ x: Matrix) -> Matrix {
            Self.propagate(x, rows: x.rows, columns: x.columns, offsets: offsets, entries: neighbours,
                           inputWeight: inverseRootDegree, outputScale: inverseRootDegree)
        }

        /// Rows r of y = outputScale[r] * sum over p in offsets[r] ..< offsets[r + 1] of
        /// inputWeight[entries[p]] * x[entries[p]]: `apply` over a whole graph, or over one rank's rows
        /// with x its pulled halo (`OwnedPropagation`). Rows on all cores; each output row is summed in
        /// registers, 16 columns at a time, and written once (the scalar loop with checked index
        /// arithmetic did not vectorise). Every entry must be a row of `inputWeight` (the callers check it
        /// once, where they build their lists), and x has one row per input weight. O(entries x columns).
        static func propagate(_ x: Matrix, rows: Int, columns d: Int, offsets: [Int], entries: [Int32],
                              inputWeight: [Float], outputScale: [Float]) -> Matrix {
            var y = Matrix(rows: rows, columns: d)
            // No entries: every row sums nothing and stays 0.
            guard rows > 0, d > 0, x.count > 0, !entries.isEmpty else { return y }
            precondition(offsets.count > rows && outputScale.count >= rows && offsets[rows] <= entries.count && inputWeight.count == x.rows,
                         "propagate: offsets, entries and weights must cover the rows")
            // The checks above (and the callers' check that entries index inputWeight, made once rather
            // than at every propagation) let the loop read the index arrays unchecked; the arithmetic and
            // its order are those of the checked loop this replaced (same results bit for bit).
            offsets.withUnsafeBufferPointer { offsetBuffer in
                entries.withUnsafeBufferPointer { entryBuffer in
                    inputWeight.withUnsafeBufferPointer { weightBuffer in
                        outputScale.withUnsafeBufferPointer { scaleBuffer in
                            x.values.withUnsafeBufferPointer { inputBuffer in
                                y.values.withUnsafeMutableBufferPointer { outputBuffer in
                                    Self.propagateRows(rows: rows, columns: d, offsets: SharedPointer(offsetBuffer.baseAddress!),
                                                       entries: SharedPointer(entryBuffer.baseAddress!), inputWeight: SharedPointer(weightBuffer.baseAddress!),
                                                       outputScale: SharedPointer(scaleBuffer.baseAddress!), input: SharedPointer(inputBuffer.baseAddress!),
                                                       output: SharedPointer(outputBuffer.baseAddress!))
                                }
                            }
                        }
                    }
                }
            }
            return y
        }

        /// The loop of `propagate` over raw pointers: rows on all cores, each output row summed in
        /// registers 16 columns at a time and written once; each iteration writes only its own rows.
        private static func propagateRows(rows: Int, columns d: Int, offsets: SharedPointer<Int>, entries: SharedPointer<Int32>,
                                          inputWeight: SharedPointer<Float>, outputScale: SharedPointer<Float>,
                                          input: SharedPointer<Float>, output: SharedPointer<Float>) {
            let chunk = max(1, (rows + 15) / 16)
            DispatchQueue.concurrentPerform(iterations: (rows + chunk - 1) / chunk) { part in
                for u in (part * chunk)..<min(rows, (part + 1) * chunk) {
                    let scale = outputScale[u]
                    guard scale > 0 else { continue }
                    let row = output.base + u * d
                    let first = offsets[u], last = offsets[u + 1]
                    var c = 0
                    while c + 16 <= d {
                        var sum = SIMD16<Float>()
                        var position = first
                        while position < last {
                            let v = Int(entries[position])
                            let values = UnsafeRawPointer(input.base + (v &* d &+ c)).loadUnaligned(as: SIMD16<Float>.self)
                            sum += inputWeight[v] * values
                            position &+= 1
                        }
                        UnsafeMutableRawPointer(row + c).storeBytes(of: scale * sum, as: SIMD16<Float>.self)
                        c += 16
                    }
                    while c < d {
                        var sum: Float = 0
                        for position in first..<last {
                            let v = Int(entries[position])
                            sum += inputWeight[v] * input[v * d + c]
                        }
                        row[c] = scale * sum
                        c += 1
                    }
                }
            }
        }

        /// mean_{k=0..K} P^k x.
        func layerMean(_ x: Matrix, layers: Int) -> Matrix {
            Self.layerMean(x, layers: layers, apply: apply)
        }

        /// mean_{k=0..K} of `apply` taken k times on x.
        static func layerMean(_ x: Matrix, layers: Int, apply: (Matrix) throws -> Matrix) rethrows -> Matrix {
            var total = x, current = x
            for _ in 0..<layers {
                current = try apply(current)
                total.add(current)
            }
            total.scale(by: 1 / Float(layers + 1))
            return total
        }
    }

    /// Trains on `graph` (training edges), early-stopping on `validation` ranked against `known`;
    /// returns the model over `servingGraph` (embeddings re-propagated over it) and the steps taken.
    public func fit(graph: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge], servingGraph: DirectedGraph,
                    seed: UInt64) throws(RelatedError) -> (model: RelatedItemModel, steps: Int, freeEmbeddings: Matrix) {
        guard dimension >= 1, layers >= 0, negatives >= 1, maximumSteps >= 1 else {
            throw RelatedError(.invalidConfiguration, "lightgcn needs dimension, negatives and steps >= 1 and layers >= 0")
        }
        let n = graph.nodeCount, d = dimension
        var generator = SeededGenerator(seed: seed ^ 0x11C)
        var embeddings = Matrix.normal(rows: n, columns: d, standardDeviation: 0.1, using: &generator)
        var adam = Adam(parameterCount: n * d, configuration: AdamConfiguration(learningRate: learningRate))
        let propagation = Propagation(graph)
        let allEdges = graph.edges
        guard !allEdges.isEmpty else { throw RelatedError(.invalidRequest, "cannot train on a graph without edges") }
        var queries = validation
        queries.seededSample(keeping: validationQueries, using: &generator)
        let evaluator = LinkPredictionEvaluator(knownEdges: known, trainingGraph: graph)
        var best: (mrr: Double, embeddings: Matrix, step: Int)?
        var stale = 0, steps = 0
        for step in 1...maximumSteps {
            steps = step
            let final = propagation.layerMean(embeddings, layers: layers)
            let negativeIDs = (0..<negatives).map { _ in Int32(generator.nextIndex(below: n)) }
            let edges = allEdges.seededSampled(keeping: edgesPerStep, using: &generator)
            let sources = edges.map(\.source), targets = edges.map(\.target)
            let query = RowGather.forward(final, indices: sources)
            let positive = RowGather.forward(final, indices: targets)
            let negative = RowGather.forward(final, indices: negativeIDs)
            let m = edges.count
            let (logits, positiveCoefficient, positiveGradient) = Self.sampledSoftmax(query: query, positive: positive, negative: negative,
                                                                                      normaliser: m)
            // dQuery = c_pos * positive + P_neg negative; dPositive = c_pos * query; dNegative = P_neg^T query.
            var queryGradient = MatrixProduct.forward(logits, negative)
            queryGradient.addScaledRows(positive, coefficients: positiveCoefficient)
            let negativeGradient = MatrixProduct.forward(logits, query, transposeA: true)
            var finalGradient = Matrix(rows: n, columns: d)
            for (rows, ids) in [(queryGradient, sources), (positiveGradient, targets), (negativeGradient, negativeIDs)] {
                RowGather.accumulateBackward(outputGradient: rows, indices: ids, into: &finalGradient)
            }
            var gradient = propagation.layerMean(finalGradient, layers: layers)
            gradient.add(embeddings, scaledBy: l2)
            adam.update(&embeddings, gradient: gradient)
            guard embeddings.isFinite else { throw RelatedError(.diverged, "lightgcn diverged at step \(step); lower its learning rate") }
            if step % evaluationInterval == 0 || step == maximumSteps {
                let current = propagation.layerMean(embeddings, layers: layers)
                let model = RelatedItemModel(method: "lightgcn", graph: graph, sourceEmbeddings: current, targetEmbeddings: current)
                let ranks = evaluator.ranks(of: model, queries: queries)
                let mrr = RankingMetrics.meanReciprocalRank(ranks: ranks)
                if best == nil || mrr > best!.mrr { best = (mrr, embeddings, step); stale = 0 } else { stale += 1 }
                if stale >= patience { break }
            }
        }
        let chosen = best?.embeddings ?? embeddings
        return (model(freeEmbeddings: chosen, graph: servingGraph), best?.step ?? steps, chosen)
    }

    /// The sampled-softmax loss of rows u -> v against shared negatives, -(1/M) sum_e log softmax_e(positive),
    /// over [q_e . p_e, q_e . n_1, ..., q_e . n_k], as what its gradient needs: `logits` overwritten by
    /// the negatives' softmax weights / M (E x k), each edge's coefficient c_e = (softmax_e(positive) - 1) / M,
    /// and c_e q_e, the gradient for p_e. `normaliser` is M, the edges of the whole step (more than
    /// `query.rows` when ranks share a step). Edges split across cores. O(E k d).
    static func sampledSoftmax(query: Matrix, positive: Matrix, negative: Matrix,
                               normaliser: Int) -> (logits: Matrix, positiveCoefficient: [Float], positiveGradient: Matrix) {
        let d = query.columns, m = query.rows, k = negative.rows, scale = Float(normaliser)
        var logits = MatrixProduct.forward(query, negative, transposeB: true)   // E x negatives
        // Softmax over [positive, negatives]; coefficient matrices for the gradient. Edges split
        // across cores; each writes only its own rows of logits and positiveGradient.
        var positiveCoefficient = [Float](repeating: 0, count: m)
        var positiveGradient = Matrix(rows: m, columns: d)
        guard m > 0 else { return (logits, positiveCoefficient, positiveGradient) }
        positiveCoefficient.withUnsafeMutableBufferPointer { coefficientBuffer in
            logits.values.withUnsafeMutableBufferPointer { logitBuffer in
                positiveGradient.values.withUnsafeMutableBufferPointer { gradientBuffer in
                    let coefficients = SharedPointer(coefficientBuffer.baseAddress!), z = SharedPointer(logitBuffer.baseAddress!)
                    let gradientRows = SharedPointer(gradientBuffer.baseAddress!)
                    query.values.withUnsafeBufferPointer { queryBuffer in
                        positive.values.withUnsafeBufferPointer { positiveBuffer in
                            let q = SharedPointer(queryBuffer.baseAddress!), p = SharedPointer(positiveBuffer.baseAddress!)
                            ParallelRanges.forEach(count: m, serialBelow: 4096) { edges in
                                for e in edges {
                                    var positiveLogit: Float = 0
                                    for c in 0..<d { positiveLogit += q[e * d + c] * p[e * d + c] }
                                    var top = positiveLogit
                                    for j in 0..<k { top = max(top, z[e * k + j]) }
                                    var total = exp(positiveLogit - top)
                                    for j in 0..<k { total += exp(z[e * k + j] - top) }
                                    let coefficient = (exp(positiveLogit - top) / total - 1) / scale
                                    coefficients[e] = coefficient
                                    for j in 0..<k { z[e * k + j] = exp(z[e * k + j] - top) / total / scale }
                                    for c in 0..<d { gradientRows[e * d + c] = coefficient * q[e * d + c] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (logits, positiveCoefficient, positiveGradient)
    }

    /// The model of trained free embeddings E0 propagated over `graph`.
    public func model(freeEmbeddings: Matrix, graph: DirectedGraph) -> RelatedItemModel {
        let final = Propagation(graph).layerMean(freeEmbeddings, layers: layers)
        return RelatedItemModel(method: "lightgcn", graph: graph, sourceEmbeddings: final, targetEmbeddings: final)
    }
}
