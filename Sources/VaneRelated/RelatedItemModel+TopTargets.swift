import Dispatch
import Foundation
import VaneGraph
import VaneTensor

/// One exact top-k question for `RelatedItemModel.topTargets(for:)`: the `count` best targets of
/// `source`, never `source` itself, nor an id in `excluded`, nor (when `excludingKnown`) a known
/// out-neighbour.
public struct TopTargetsQuery: Sendable, Hashable {
    public var source: Int32
    public var count: Int
    public var excluded: Set<Int32>
    public var excludingKnown: Bool

    public init(source: Int32, count: Int, excluded: Set<Int32> = [], excludingKnown: Bool = true) {
        self.source = source
        self.count = count
        self.excluded = excluded
        self.excludingKnown = excludingKnown
    }
}

extension RelatedItemModel {
    /// Exact answers to many top-k queries at once: one (queries x items) GEMM of their source
    /// embeddings against every target embedding, the neighbourhood term added, then a bounded heap
    /// per row (rows on all cores from 4 queries up). Answers are (target id, score), best first, in
    /// query order. Batching is what makes concurrent exact scans cheap: the target embeddings are
    /// read once per batch instead of once per query. O(q x items x dimension + q x items).
    ///
    /// Precondition: every source is an item id and every count is at least 1 (callers validate
    /// user input first, `recommend(for:)` through `itemID`).
    public func topTargets(for queries: [TopTargetsQuery]) -> [[(index: Int32, score: Float)]] {
        precondition(queries.allSatisfy { $0.source >= 0 && Int($0.source) < itemCount && $0.count >= 1 },
                     "topTargets: sources must be item ids and counts at least 1")
        guard !queries.isEmpty else { return [] }
        let n = itemCount
        let scores = scores(forSources: queries.map(\.source))
        var answers = [[(index: Int32, score: Float)]](repeating: [], count: queries.count)
        let answer = { @Sendable (i: Int) -> [(index: Int32, score: Float)] in
            let query = queries[i]
            return topK(row: scores.values[(i * n)..<((i + 1) * n)], source: query.source, count: query.count,
                        excludingKnown: query.excludingKnown, excluded: query.excluded).map { (index: $0.index, score: $0.score) }
        }
        if queries.count < 4 {
            for i in queries.indices { answers[i] = answer(i) }
        } else {
            answers.withUnsafeMutableBufferPointer { buffer in
                let output = SharedPointer(buffer.baseAddress!)
                // Each worker writes only its own query's slot.
                DispatchQueue.concurrentPerform(iterations: queries.count) { i in output[i] = answer(i) }
            }
        }
        return answers
    }

    /// The `count` best targets in one row of scores (index = target id), in the order of
    /// `TopKSelector` (score, then smaller id); `source`, ids in `excluded` and, when
    /// `excludingKnown`, the known out-neighbours never enter. O(items + accepted x (log k + log degree)).
    func topK(row: ArraySlice<Float>, source: Int32, count: Int, excludingKnown: Bool,
                      excluded: Set<Int32>) -> [(score: Float, index: Int32)] {
        var selector = TopKSelector(capacity: count)
        let checksKnown = excludingKnown && graph.outDegree(of: source) > 0
        // Targets arrive in increasing index order, so a score at or below the admission score can
        // never enter: the cheap comparison runs first, the exclusion checks only for the few
        // candidates that pass it (O(n) compares + O(accepted (log k + log degree))).
        row.withUnsafeBufferPointer { scores in
            var admission = selector.admissionScore
            for target in 0..<scores.count {
                let score = scores[target]
                guard score > admission else { continue }
                let id = Int32(target)
                if id == source || (!excluded.isEmpty && excluded.contains(id)) { continue }
                if checksKnown && graph.hasEdge(from: source, to: id) { continue }
                selector.offer(score: score, index: id)
                admission = selector.admissionScore
            }
        }
        return selector.sorted()
    }
}
