import Dispatch
import Foundation
import VaneGraph
import VaneIO
import VaneTensor

/// A fitted related-items model: every item's source and target embedding and, optionally, a
/// neighbourhood term read from the graph, scored
/// score(u -> v) = sourceEmbeddings[u] . targetEmbeddings[v] + neighbourhood(u, v).
///
/// Every method in this module (GNN, symmetric, popularity) ends as one of these, so evaluation,
/// top-K serving and files are shared. Immutable; `Sendable`, so one instance serves many threads.
public struct RelatedItemModel: Sendable {
    /// What produced the embeddings, e.g. "blade" or "popularity"; saved with the model.
    public let method: String
    /// The graph the model knows (item names, and the edges excluded as already known).
    public let graph: DirectedGraph
    /// (items x dimension) source-side embeddings.
    public let sourceEmbeddings: Matrix
    /// (items x dimension) target-side embeddings.
    public let targetEmbeddings: Matrix
    /// Walk-feature weights over `graph` added to the embedding score; nil for embedding-only models.
    public let neighbourhood: NeighbourhoodTerm?
    /// Fingerprint of the files the model was loaded from (`model.json`, `embeddings.safetensors`);
    /// nil for a model built in memory. A `RelatedItemIndex` carries the one it was built for.
    public let fileFingerprint: ContentFingerprint?

    public init(method: String, graph: DirectedGraph, sourceEmbeddings: Matrix, targetEmbeddings: Matrix,
                neighbourhood: NeighbourhoodTerm? = nil, fileFingerprint: ContentFingerprint? = nil) {
        precondition(sourceEmbeddings.rows == graph.nodeCount && targetEmbeddings.rows == graph.nodeCount,
                     "RelatedItemModel: one embedding row per node")
        precondition(sourceEmbeddings.columns == targetEmbeddings.columns, "RelatedItemModel: widths differ")
        self.method = method
        self.graph = graph
        self.sourceEmbeddings = sourceEmbeddings
        self.targetEmbeddings = targetEmbeddings
        self.neighbourhood = neighbourhood.flatMap { $0.activeFeatures.isEmpty ? nil : $0 }
        self.fileFingerprint = fileFingerprint
    }

    public var itemCount: Int { graph.nodeCount }
    public var dimension: Int { sourceEmbeddings.columns }

    /// Score of one directed pair (`scores(of:)` for one pair). O(dimension), plus one walk per
    /// neighbourhood feature; score many pairs with `scores(of:)`, which walks once per source.
    public func score(source: Int32, target: Int32) -> Float {
        scores(of: [DirectedGraph.Edge(source: source, target: target)])[0]
    }

    /// Scores of many directed pairs: embeddings per pair, and each source's walks run once for all
    /// of its pairs, on all cores with one scratch accumulator per worker. O(pairs x dimension + walks).
    public func scores(of pairs: [DirectedGraph.Edge]) -> [Float] {
        let d = dimension
        var result = [Float](repeating: 0, count: pairs.count)
        for (index, pair) in pairs.enumerated() {
            var total: Float = 0
            let s = Int(pair.source) * d, t = Int(pair.target) * d
            for c in 0..<d { total += sourceEmbeddings.values[s + c] * targetEmbeddings.values[t + c] }
            result[index] = total
        }
        guard let neighbourhood else { return result }
        let bySource = Dictionary(grouping: pairs.indices, by: { pairs[$0].source })
        let sources = bySource.keys.sorted()
        let workers = max(1, min(sources.count, 2 * ProcessInfo.processInfo.activeProcessorCount))
        let graph = graph
        result.withUnsafeMutableBufferPointer { buffer in
            let output = SharedPointer(buffer.baseAddress!)
            // Each pair index belongs to exactly one source, and each source to one worker.
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var accumulator = WalkFeatureAccumulator(graph: graph, neighbourCap: neighbourhood.neighbourCap)
                for position in stride(from: worker, to: sources.count, by: workers) {
                    let source = sources[position], indices = bySource[source]!
                    for feature in neighbourhood.activeFeatures {
                        let weight = neighbourhood.weights[feature]!
                        accumulator.forEachValue(feature, source: source) { item, value in
                            for index in indices where pairs[index].target == item {
                                output[index] += weight.contribution(value: value, inDegree: graph.inDegree(of: item))
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Scores of every item as a target of each given source: (sources.count x items), one GEMM
    /// plus the neighbourhood term's walks.
    public func scores(forSources sources: [Int32]) -> Matrix {
        let queries = RowGather.forward(sourceEmbeddings, indices: sources)
        var scores = MatrixProduct.forward(queries, targetEmbeddings, transposeB: true)
        neighbourhood?.add(sources: sources, graph: graph, into: &scores)
        return scores
    }

    /// Item id for a name, or an `unknownItem` error that says how many items the model knows.
    public func itemID(_ name: String) throws(RelatedError) -> Int32 {
        guard let id = graph.id(of: name) else {
            throw RelatedError(.unknownItem, "unknown item \"\(name)\" (the model knows \(itemCount) items)")
        }
        return id
    }

    /// The `count` best targets for `item`, best first, never the item itself; known out-neighbours
    /// are left out unless `excludingKnown` is false, and so is every name in `excluding`.
    /// O(items x dimension + items log count).
    public func recommend(for item: String, count: Int, excludingKnown: Bool = true,
                          excluding: [String] = []) throws(RelatedError) -> [(item: String, score: Float)] {
        guard count >= 1 else { throw RelatedError(.invalidRequest, "count must be at least 1, got \(count)") }
        let source = try itemID(item)
        var excluded = Set<Int32>()
        for name in excluding { excluded.insert(try itemID(name)) }
        let query = TopTargetsQuery(source: source, count: count, excluded: excluded, excludingKnown: excludingKnown)
        return topTargets(for: [query])[0].map { (graph.nodeNames[Int($0.index)], $0.score) }
    }

    /// Sources per GEMM of `recommendAll` and `topTargets(ofSourcesIn:)`. A shard that starts on a
    /// multiple of it computes its sources in exactly the GEMM calls one process makes, so the scores
    /// are bit for bit the same: a product's rounding can depend on the block's shape (OpenBLAS picks
    /// edge kernels by shape and CPU).
    public static let scoringBatchSize = 128

    /// Top-`count` targets of every item, computed in batches of `batchSize` sources (one GEMM each)
    /// on all cores. Returns, per source id, (target id, score) pairs best first. `progress` is called
    /// on the caller's thread after each batch with the items done.
    public func recommendAll(count: Int, excludingKnown: Bool = true, batchSize: Int = RelatedItemModel.scoringBatchSize,
                             progress: ((Int) -> Void)? = nil) -> [[(index: Int32, score: Float)]] {
        topTargets(ofSourcesIn: 0..<itemCount, count: count, excludingKnown: excludingKnown, batchSize: batchSize, progress: progress)
    }

    /// Top-`count` targets of the sources in `range` (a shard of the catalogue: ranks of a distributed
    /// index build each take one), in batches of `batchSize` sources, one GEMM each, on all cores.
    /// Returns one list per source of the range, in order; `progress` gets the sources done.
    /// O(|range| x items x dimension / cores).
    public func topTargets(ofSourcesIn range: Range<Int>, count: Int, excludingKnown: Bool = true, batchSize: Int = RelatedItemModel.scoringBatchSize,
                           progress: ((Int) -> Void)? = nil) -> [[(index: Int32, score: Float)]] {
        precondition(range.lowerBound >= 0 && range.upperBound <= itemCount, "topTargets: the range must lie within the items")
        var results = [[(index: Int32, score: Float)]](repeating: [], count: range.count)
        let n = itemCount, width = max(1, batchSize)
        // One score block reused for every batch: a fresh 128 x N block per batch costs page faults
        // that, measured here, took longer than the GEMM itself.
        var block = Matrix(rows: min(width, max(1, range.count)), columns: n)
        var start = range.lowerBound
        while start < range.upperBound {
            let sources = (start..<min(range.upperBound, start + width)).map { Int32($0) }
            let queries = RowGather.forward(sourceEmbeddings, indices: sources)
            if sources.count != block.rows { block = Matrix(rows: sources.count, columns: n) }
            MatrixProduct.accumulate(queries, targetEmbeddings, into: &block, transposeB: true, beta: 0)
            neighbourhood?.add(sources: sources, graph: graph, into: &block)
            let scores = block, offset = range.lowerBound
            results.withUnsafeMutableBufferPointer { buffer in
                let output = SharedPointer(buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: sources.count) { i in
                    let row = scores.values[(i * n)..<((i + 1) * n)]
                    output[Int(sources[i]) - offset] = topK(row: row, source: sources[i], count: count,
                                                            excludingKnown: excludingKnown, excluded: [])
                        .map { (index: $0.index, score: $0.score) }
                }
            }
            start += sources.count
            progress?(start - range.lowerBound)
        }
        return results
    }
}
