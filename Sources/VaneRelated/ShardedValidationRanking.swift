import Dispatch
import VaneGraph
import VaneMetrics
import VaneTensor

/// Validation MRR of a sharded job without any rank holding every item's scores or states: the
/// filtered full-ranking protocol of `LinkPredictionEvaluator` (rank = 1 + #higher + #tied / 2 over
/// every item except the source and its other known targets), with each rank counting over the
/// items it owns and the counts summed over ranks.
///
/// Per evaluation: the query sources' and targets' score-side rows are pulled from their owners
/// (every rank gets all of them: queries x d), each query's target score is their dot product (the
/// same on every rank), each rank scores the sources against its own target rows in batches of at
/// most `scoreBudget` floats, counts higher and tied items among its own, takes out its own excluded
/// items and the target itself by the same comparison, and the (higher, tied) pairs are summed.
/// Cost per rank: O(queries x owned items x d / ranks) in GEMMs; memory O(scoreBudget + queries x d).
struct ShardedValidationRanking {
    let queries: [DirectedGraph.Edge]
    /// Per query: the items ranking leaves out besides the target (the source and its other known
    /// targets: training out-neighbours and validation targets).
    let excluded: [[Int32]]
    let scoreBudget: Int
    /// The distinct query sources and targets (sorted: the order their rows are pulled in), each
    /// one's row there, the queries of each source, and the local row of every owned node that is
    /// a query target or excluded somewhere: all fixed for the job, built once.
    let sources: [Int32], targets: [Int32]
    let sourceRow: [Int32: Int], targetRow: [Int32: Int]
    let bySource: [Int32: [Int]]
    let localIndex: [Int32: Int]

    /// `ownedNodes`: the rank's nodes in the order of its local rows (`DataParallelContext.ownedNodes`).
    init(graph: DirectedGraph, validation: [DirectedGraph.Edge], configuration: DirectedGNNConfiguration, seed: UInt64,
         ownedNodes: [Int32], scoreBudget: Int = 1 << 24) {
        self.init(graph: graph, validation: validation, queries: DirectedGNNTrainer.validationQueries(validation, configuration: configuration, seed: seed),
                  ownedNodes: ownedNodes, scoreBudget: scoreBudget)
    }

    /// The ranking of `queries` (some of `validation`), each against every item but its known targets.
    init(graph: DirectedGraph, validation: [DirectedGraph.Edge], queries: [DirectedGraph.Edge], ownedNodes: [Int32],
         scoreBudget: Int = 1 << 24) {
        self.queries = queries
        let sourceSet = Set(queries.map(\.source))
        var validationTargets: [Int32: [Int32]] = [:]
        for edge in validation where sourceSet.contains(edge.source) { validationTargets[edge.source, default: []].append(edge.target) }
        let excluded = queries.map { query in
            var known = Set(graph.outNeighbours(of: query.source))
            known.formUnion(validationTargets[query.source] ?? [])
            known.insert(query.source)
            known.remove(query.target)
            return known.sorted()
        }
        self.excluded = excluded
        self.scoreBudget = scoreBudget
        sources = sourceSet.sorted()
        targets = Set(queries.map(\.target)).sorted()
        sourceRow = Dictionary(uniqueKeysWithValues: sources.enumerated().map { ($1, $0) })
        targetRow = Dictionary(uniqueKeysWithValues: targets.enumerated().map { ($1, $0) })
        bySource = Dictionary(grouping: queries.indices, by: { queries[$0].source })
        let relevant = Set(targets).union(excluded.joined())
        localIndex = Dictionary(uniqueKeysWithValues: ownedNodes.enumerated().filter { relevant.contains($0.element) }.map { ($0.element, $0.offset) })
    }

    /// The filtered rank of each query's target (same on every rank). `source`, `target`: this
    /// rank's score-side rows in `context.ownedNodes` order (the `ownedNodes` given to `init`). Collective.
    func ranks(source: Matrix, target: Matrix, context: inout some DataParallelContext) throws -> [Double] {
        let sourceRows = try context.rows(of: source, ids: sources)
        let targetRows = try context.rows(of: target, ids: targets)
        let width = source.columns
        let targetScores = queries.map { query -> Float in
            let s = sourceRow[query.source]! * width, t = targetRow[query.target]! * width
            var dot: Float = 0
            for c in 0..<width { dot += sourceRows.values[s + c] * targetRows.values[t + c] }
            return dot
        }
        var counts = [Double](repeating: 0, count: 2 * queries.count)
        let n = target.rows
        let batchSize = max(1, min(256, scoreBudget / max(1, n)))
        if n > 0 {
            for batchStart in stride(from: 0, to: sources.count, by: batchSize) {
                let batch = Array(sources[batchStart..<min(sources.count, batchStart + batchSize)])
                let rowsStart = batchStart * width, rowsEnd = (batchStart + batch.count) * width
                let queryRows = Matrix(rows: batch.count, columns: width, values: Array(sourceRows.values[rowsStart..<rowsEnd]))
                let scores = MatrixProduct.forward(queryRows, target, transposeB: true)
                counts.withUnsafeMutableBufferPointer { buffer in
                    let output = SharedPointer(buffer.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: batch.count) { row in
                        let base = row * n
                        for queryIndex in bySource[batch[row]]! {
                            let targetScore = targetScores[queryIndex]
                            var higher = 0, tied = 0
                            scores.values.withUnsafeBufferPointer { values in
                                for j in base..<(base + n) {
                                    let value = values[j]
                                    if value > targetScore { higher += 1 } else if value == targetScore { tied += 1 }
                                }
                            }
                            // The target itself and the excluded items this rank owns, taken out by
                            // the comparison that counted them.
                            for item in [queries[queryIndex].target] + excluded[queryIndex] {
                                guard let i = localIndex[item] else { continue }
                                let value = scores.values[base + i]
                                if value > targetScore { higher -= 1 } else if value == targetScore { tied -= 1 }
                            }
                            output[2 * queryIndex] = Double(higher)
                            output[2 * queryIndex + 1] = Double(tied)
                        }
                    }
                }
            }
        }
        try context.sum(&counts)
        return queries.indices.map { 1 + counts[2 * $0] + counts[2 * $0 + 1] / 2 }
    }

    /// Validation MRR (same on every rank). Collective.
    func meanReciprocalRank(source: Matrix, target: Matrix, context: inout some DataParallelContext) throws -> Double {
        RankingMetrics.meanReciprocalRank(ranks: try ranks(source: source, target: target, context: &context))
    }
}
