import Dispatch
import Foundation
import VaneGraph
import VaneTensor

/// How an exact related-items scan reads the target embeddings.
public enum TargetScanEncoding: String, Sendable, CaseIterable {
    /// 8-bit copies with per-row scales (`CompactTargetScan`): the same answers, a quarter of the bytes.
    case int8
    /// The float32 embeddings themselves (`RelatedItemModel.topTargets(for:)`).
    case float32
}

/// Exact top-k answers computed from 8-bit copies of the target embeddings.
///
/// The embedding part of every score is first computed approximately from the codes
/// (`Int8PanelMatrix`, 8 rows per AVX2 instruction, no packing of the matrix per call, a quarter of
/// the float scan's bytes), with a bound e(u, v) on its error, and the neighbourhood term is added
/// exactly. Then, per query, with a(v) the approximate score:
///   tau = the k-th largest lower bound a(v) - e(u, v) over the items a query may return;
///   candidates = the items with a(v) + e(u, v) >= tau;
/// no other item can be among the k best (k items score at least tau, it scores below), so the k
/// best candidates by their float32 rescore are the exact answer. The bound is a worst case
/// (`Int8PanelMatrix.errorBound`): typically a few dozen candidates are rescored. A query with more than
/// `maximumCandidates` (loose bounds, or fewer eligible items than k), and every query of a model whose
/// scores could come within a factor 1e6 of Float's range, is answered by the float scan.
/// Answers equal `RelatedItemModel.topTargets(for:)`'s up to float rounding of the dot products
/// (scores within ~1e-6 relative; items tied that closely may swap).
/// Cost per batch of q queries: q x items x dimension integer multiply-adds, the neighbourhood
/// walks, two passes over each query's scores and q x candidates x dimension float rescoring.
/// Immutable; `Sendable`.
public struct CompactTargetScan: Sendable {
    public let model: RelatedItemModel
    /// The target embeddings' 8-bit form.
    public let targets: Int8PanelMatrix
    /// A query with more candidates than this is answered by the float scan.
    public let maximumCandidates: Int
    /// rowScales x rowCodeSums (the per-item part of the bound), and the largest of each part.
    private let scaledCodeSums: [Float]
    private let largestRowScale: Float
    private let largestScaledCodeSum: Float
    /// False when scores or their bounds could come near Float's range (a model whose largest possible
    /// score is within a factor 1e6 of it): every query then goes to the float scan, since
    /// the certificate's arithmetic could overflow.
    private let certifiable: Bool

    /// Quantises the model's target embeddings (O(items x dimension)).
    public init(model: RelatedItemModel, maximumCandidates: Int = 4096) {
        precondition(maximumCandidates >= 1, "CompactTargetScan: maximumCandidates must be at least 1")
        self.model = model
        targets = Int8PanelMatrix(model.targetEmbeddings)
        self.maximumCandidates = maximumCandidates
        scaledCodeSums = zip(targets.rowScales, targets.rowCodeSums).map { $0 * Float($1) }
        largestRowScale = targets.rowScales.max() ?? 0
        largestScaledCodeSum = scaledCodeSums.max() ?? 0
        let largestSource = model.sourceEmbeddings.values.reduce(Float(0)) { max($0, abs($1)) }
        let largestTarget = model.targetEmbeddings.values.reduce(Float(0)) { max($0, abs($1)) }
        certifiable = Double(model.dimension) * Double(largestSource) * Double(largestTarget) < Double(Float.greatestFiniteMagnitude) * 1e-6
    }

    /// What a batch of scans did.
    public struct Statistics: Sendable, Equatable {
        public var queries = 0
        /// Items rescored in float32, over all queries answered here.
        public var rescored = 0
        /// Queries answered by the float scan instead.
        public var fallbacks = 0
        public init() {}
    }

    /// Exact answers to many top-k queries at once (as `RelatedItemModel.topTargets(for:)`, same
    /// order and precondition), and what the scan did.
    public func topTargets(for queries: [TopTargetsQuery]) -> (answers: [[(index: Int32, score: Float)]], statistics: Statistics) {
        precondition(queries.allSatisfy { $0.source >= 0 && Int($0.source) < model.itemCount && $0.count >= 1 },
                     "topTargets: sources must be item ids and counts at least 1")
        var statistics = Statistics()
        statistics.queries = queries.count
        guard !queries.isEmpty else { return ([], statistics) }
        guard certifiable else {
            statistics.fallbacks = queries.count
            return (model.topTargets(for: queries), statistics)
        }
        let n = model.itemCount
        let sources = queries.map(\.source)
        let queryRows = RowGather.forward(model.sourceEmbeddings, indices: sources)
        var scores = Matrix(rows: 0, columns: 0)
        let quantized = targets.products(with: queryRows, into: &scores)
        model.neighbourhood?.add(sources: sources, graph: model.graph, into: &scores)
        let approximate = scores
        var outcomes = [Outcome?](repeating: nil, count: queries.count)
        let answer = { @Sendable (i: Int) -> Outcome? in
            approximate.values.withUnsafeBufferPointer { values in
                self.answer(queries[i], row: UnsafeBufferPointer(rebasing: values[(i * n)..<((i + 1) * n)]),
                            queryRow: i, queries: quantized, queryEmbeddings: queryRows)
            }
        }
        if queries.count < 4 {
            for i in queries.indices { outcomes[i] = answer(i) }
        } else {
            outcomes.withUnsafeMutableBufferPointer { buffer in
                let output = SharedPointer(buffer.baseAddress!)
                // Each worker writes only its own query's slot.
                DispatchQueue.concurrentPerform(iterations: queries.count) { i in output[i] = answer(i) }
            }
        }
        var answers = [[(index: Int32, score: Float)]](repeating: [], count: queries.count)
        var fallbacks: [Int] = []
        for (i, outcome) in outcomes.enumerated() {
            if let outcome {
                answers[i] = outcome.answer
                statistics.rescored += outcome.rescored
            } else {
                fallbacks.append(i)
            }
        }
        if !fallbacks.isEmpty {
            statistics.fallbacks = fallbacks.count
            for (i, exact) in zip(fallbacks, model.topTargets(for: fallbacks.map { queries[$0] })) { answers[i] = exact }
        }
        return (answers, statistics)
    }

    private struct Outcome: Sendable {
        let answer: [(index: Int32, score: Float)]
        let rescored: Int
    }

    /// One query's certified answer from its approximate score row, or nil when it has more than
    /// `maximumCandidates` candidates.
    private func answer(_ query: TopTargetsQuery, row: UnsafeBufferPointer<Float>, queryRow q: Int, queries: QuantizedQueries,
                        queryEmbeddings: Matrix) -> Outcome? {
        let graph = model.graph, source = query.source
        let checksKnown = query.excludingKnown && graph.outDegree(of: source) > 0
        func eligible(_ id: Int32) -> Bool {
            if id == source || (!query.excluded.isEmpty && query.excluded.contains(id)) { return false }
            return !(checksKnown && graph.hasEdge(from: source, to: id))
        }
        // e(u, v) = rowScale_v x (c0 + c1 x rowCodeSum_v) (`Int8PanelMatrix.errorBound`), plus 2e-6 |a(v)|
        // for the float rounding of adding the neighbourhood term to either score. `largest` bounds
        // the first part over all items, so most items are settled by one comparison.
        let unit = queries.scales[q], querySum = Float(queries.codeSums[q])
        let c0 = unit * (querySum * (0.5 + 0.0127) + Float(targets.columns) * 0.25), c1 = unit * 0.5
        let largest = c0 * largestRowScale + c1 * largestScaledCodeSum
        let d = model.dimension
        var selector = TopKSelector(capacity: query.count)
        var rescored = 0
        targets.rowScales.withUnsafeBufferPointer { rowScales in
            scaledCodeSums.withUnsafeBufferPointer { scaledCodeSums in
                @inline(__always) func bound(_ v: Int, _ a: Float) -> Float { c0 * rowScales[v] + c1 * scaledCodeSums[v] + 2e-6 * abs(a) }
                // Pass 1: tau, the k-th largest lower bound among eligible items (in increasing id order;
                // a(v) at or below the admission score cannot enter, since the lower bound is below a(v)).
                var lower = TopKSelector(capacity: query.count)
                var admission = lower.admissionScore
                for v in 0..<row.count {
                    let a = row[v]
                    guard a > admission else { continue }
                    let low = a - bound(v, a)
                    guard low > admission, eligible(Int32(v)) else { continue }
                    lower.offer(score: low, index: Int32(v))
                    admission = lower.admissionScore
                }
                let tau = lower.admissionScore
                // Fewer eligible items than k: the float scan lists them all.
                guard tau > -.infinity else { rescored = maximumCandidates + 1; return }
                // Pass 2: every item whose upper bound reaches tau, rescored in float32.
                queryEmbeddings.values.withUnsafeBufferPointer { queryValues in
                    model.targetEmbeddings.values.withUnsafeBufferPointer { targetValues in
                        let embedding = UnsafeBufferPointer(rebasing: queryValues[(q * d)..<((q + 1) * d)])
                        for v in 0..<row.count {
                            let a = row[v]
                            guard a + largest + 2e-6 * abs(a) >= tau, a + bound(v, a) >= tau, eligible(Int32(v)) else { continue }
                            rescored += 1
                            if rescored > maximumCandidates { return }
                            var dot: Float = 0
                            let base = v * d
                            for c in 0..<d { dot += embedding[c] * targetValues[base + c] }
                            // The neighbourhood part of a(v) is what remains once the approximate product is taken off.
                            let exact = (a - targets.approximateProduct(queries, query: q, row: v)) + dot
                            selector.offer(score: exact, index: Int32(v))
                        }
                    }
                }
            }
        }
        guard rescored <= maximumCandidates else { return nil }
        return Outcome(answer: selector.sorted().map { (index: $0.index, score: $0.score) }, rescored: rescored)
    }
}
