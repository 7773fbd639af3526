import Dispatch
import VaneGraph
import VaneMetrics
import VaneTensor

/// Metrics of one model on held-out edges, as SPEC.md section 1 defines them.
public struct LinkPredictionEvaluation: Sendable {
    /// Metrics of the queries whose source falls in one degree bucket.
    public struct Bucket: Sendable {
        public let queries: Int
        public let hitRateAt10: Double
        public let meanReciprocalRank: Double
    }
    /// Direction AUC of the one-way held-out edges in one bucket of evidence.
    public struct DirectionBucket: Sendable {
        /// One-way held-out edges in the bucket.
        public let pairs: Int
        public let directionAUC: Double
    }

    public let queries: Int
    public let hitRateAt5: Double
    public let hitRateAt10: Double
    public let hitRateAt20: Double
    public let meanReciprocalRank: Double
    public let ndcgAt10: Double
    /// P(score(u -> v) > score(v -> u)) over one-way held-out edges, ties 1/2; nil when there are none.
    public let directionAUC: Double?
    /// Keyed by `LinkPredictionEvaluator.degreeBuckets` labels.
    public let byDegree: [String: Bucket]
    /// Direction AUC by the evidence the training graph holds on the pair: keyed by
    /// `LinkPredictionEvaluator.directionBuckets` labels of min(degree u, degree v), total degrees in the
    /// training graph. A pair with an endpoint of degree 0 can only be oriented by the other endpoint.
    public let directionByDegree: [String: DirectionBucket]
}

/// The filtered full-ranking protocol: for each held-out edge u -> v, rank v among every item except
/// u itself and u's other known out-neighbours (`knownEdges`), ties counted at half rank
/// (rank = 1 + #higher + #tied / 2). Buckets use the source's total degree in `trainingGraph`;
/// direction buckets the smaller of the two endpoints' total degrees.
///
/// Cost: one (batch x d) x (d x N) GEMM per batch of distinct sources plus O(N) per query; the
/// batch shrinks on large catalogues so its scores stay within 128 MB.
public struct LinkPredictionEvaluator: Sendable {
    /// One pair's share of a direction AUC: 1 when u -> v outscores v -> u, 1/2 on a tie, else 0.
    /// The one tie rule of every direction AUC (evaluation, `DirectionAnchor`, SpringRank's alpha).
    @inlinable public static func directionCredit(forward: Float, backward: Float) -> Double {
        forward > backward ? 1 : (forward == backward ? 0.5 : 0)
    }

    /// Degree buckets of SPEC.md: label and inclusive upper bound (degree 0 counts as "1").
    public static let degreeBuckets: [(label: String, upperBound: Int)] = [("1", 1), ("2-4", 4), ("5-16", 16), ("17+", Int.max)]
    /// Buckets of a one-way pair's evidence: label and inclusive upper bound of min(degree u, degree v).
    public static let directionBuckets: [(label: String, upperBound: Int)] = [("0", 0), ("1", 1), ("2-4", 4), ("5-16", 16), ("17+", Int.max)]

    public let knownEdges: DirectedGraph
    public let trainingGraph: DirectedGraph

    public init(knownEdges: DirectedGraph, trainingGraph: DirectedGraph) {
        precondition(knownEdges.nodeCount == trainingGraph.nodeCount, "LinkPredictionEvaluator: graphs over different nodes")
        self.knownEdges = knownEdges
        self.trainingGraph = trainingGraph
    }

    /// The filtered rank of each query's target, in query order.
    public func ranks(of model: RelatedItemModel, queries: [DirectedGraph.Edge], batchSize: Int = 256) -> [Double] {
        let bySource = Dictionary(grouping: queries.indices, by: { queries[$0].source })
        let sources = bySource.keys.sorted()
        var ranks = [Double](repeating: 0, count: queries.count)
        let n = model.itemCount
        // At most 2^25 scores (128 MB) at once: 256 sources up to 131,072 items, fewer beyond.
        let batchSize = max(1, min(batchSize, (1 << 25) / max(1, n)))
        for batchStart in stride(from: 0, to: sources.count, by: batchSize) {
            let batch = Array(sources[batchStart..<min(sources.count, batchStart + batchSize)])
            let scores = model.scores(forSources: batch)
            ranks.withUnsafeMutableBufferPointer { buffer in
                let output = SharedPointer(buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: batch.count) { row in
                    let source = batch[row]
                    let base = row * n
                    for queryIndex in bySource[source]! {
                        let target = queries[queryIndex].target
                        let targetScore = scores.values[base + Int(target)]
                        var higher = 0, tied = 0
                        scores.values.withUnsafeBufferPointer { values in
                            for j in base..<(base + n) {
                                let value = values[j]
                                if value > targetScore { higher += 1 } else if value == targetScore { tied += 1 }
                            }
                        }
                        tied -= 1  // the target itself
                        // Take out the excluded candidates: the source and its other known targets.
                        var excluded = [source]
                        for known in knownEdges.outNeighbours(of: source) where known != target { excluded.append(known) }
                        for item in excluded where item != target {
                            let value = scores.values[base + Int(item)]
                            if value > targetScore { higher -= 1 } else if value == targetScore { tied -= 1 }
                        }
                        output[queryIndex] = 1 + Double(higher) + Double(tied) / 2
                    }
                }
            }
        }
        return ranks
    }

    /// Every metric of the protocol on `test`.
    public func evaluate(_ model: RelatedItemModel, test: [DirectedGraph.Edge]) -> LinkPredictionEvaluation {
        let ranks = ranks(of: model, queries: test)
        var bucketRanks = [String: [Double]]()
        for (query, rank) in zip(test, ranks) {
            let degree = totalDegree(query.source)
            let label = Self.degreeBuckets.first { degree <= $0.upperBound }!.label
            bucketRanks[label, default: []].append(rank)
        }
        var byDegree: [String: LinkPredictionEvaluation.Bucket] = [:]
        for (label, values) in bucketRanks {
            byDegree[label] = .init(queries: values.count, hitRateAt10: RankingMetrics.hitRate(ranks: values, cutoff: 10),
                                    meanReciprocalRank: RankingMetrics.meanReciprocalRank(ranks: values))
        }
        var directionWins = 0.0
        var bucketWins = [String: (pairs: Int, wins: Double)]()
        let oneWayEdges = test.filter(knownEdges.isOneWay)
        let pairScores = model.scores(of: oneWayEdges + oneWayEdges.map { DirectedGraph.Edge(source: $0.target, target: $0.source) })
        for (index, edge) in oneWayEdges.enumerated() {
            let forward = pairScores[index], backward = pairScores[oneWayEdges.count + index]
            let win = Self.directionCredit(forward: forward, backward: backward)
            directionWins += win
            let evidence = min(totalDegree(edge.source), totalDegree(edge.target))
            let label = Self.directionBuckets.first { evidence <= $0.upperBound }!.label
            bucketWins[label, default: (0, 0)].pairs += 1
            bucketWins[label, default: (0, 0)].wins += win
        }
        let oneWay = oneWayEdges.count
        return LinkPredictionEvaluation(
            queries: test.count,
            hitRateAt5: RankingMetrics.hitRate(ranks: ranks, cutoff: 5),
            hitRateAt10: RankingMetrics.hitRate(ranks: ranks, cutoff: 10),
            hitRateAt20: RankingMetrics.hitRate(ranks: ranks, cutoff: 20),
            meanReciprocalRank: RankingMetrics.meanReciprocalRank(ranks: ranks),
            ndcgAt10: RankingMetrics.ndcg(ranks: ranks, cutoff: 10),
            directionAUC: oneWay > 0 ? directionWins / Double(oneWay) : nil,
            byDegree: byDegree,
            directionByDegree: bucketWins.mapValues { .init(pairs: $0.pairs, directionAUC: $0.wins / Double($0.pairs)) })
    }

    private func totalDegree(_ node: Int32) -> Int { trainingGraph.outDegree(of: node) + trainingGraph.inDegree(of: node) }
}
