import VaneGraph
import VaneMetrics
import VaneRelated

/// The `--json` shape of `vane graph evaluate --seeds`: per method, each metric's mean, sd and
/// per-seed values, and the paired MRR difference against the strongest other method and against
/// the strongest baseline (`RelatedMethod.isBaseline`).
struct RelatedSweepOutput: Encodable {
    struct Paired: Encodable {
        let against: String
        let difference: SeedSummary
        let wins: Int
    }
    /// Direction AUC over seeds of the one-way test edges in one evidence bucket
    /// (`LinkPredictionEvaluator.directionBuckets`), and how many such edges each seed had.
    struct DirectionBucket: Encodable {
        let directionAUC: SeedSummary
        let pairs: SeedSummary
        enum CodingKeys: String, CodingKey { case directionAUC = "direction_auc", pairs }
    }
    struct Method: Encodable {
        let hit5: SeedSummary?, hit10: SeedSummary?, hit20: SeedSummary?, mrr: SeedSummary?, ndcg10: SeedSummary?
        let directionAUC: SeedSummary?
        let degreeOneHit10: SeedSummary?
        /// Keyed by bucket label; a bucket is left out unless every seed has pairs in it.
        let directionByDegree: [String: DirectionBucket]
        let trainSeconds: SeedSummary
        let pairedMRR: Paired?
        let pairedMRRBaseline: Paired?
        /// Per seed, what fitting chose and where its time went.
        let fitted: [[String: String]]
        enum CodingKeys: String, CodingKey {
            case hit5 = "hit@5", hit10 = "hit@10", hit20 = "hit@20", mrr, ndcg10 = "ndcg@10", directionAUC = "direction_auc"
            case degreeOneHit10 = "degree_1_hit@10", directionByDegree = "direction_by_degree", trainSeconds = "train_seconds", pairedMRR = "paired_mrr"
            case pairedMRRBaseline = "paired_mrr_best_baseline", fitted
        }
    }
    let dataset: String
    let nodes: Int
    let edges: Int
    let seeds: [UInt64]
    let testEdges: [Int]
    let methods: [String: Method]
    enum CodingKeys: String, CodingKey { case dataset, nodes, edges, seeds, testEdges = "test_edges", methods }

    init(dataset: String, graph: DirectedGraph, sweep: RelatedSweep, methods list: [RelatedMethod]) {
        self.dataset = dataset
        nodes = graph.nodeCount
        edges = graph.edgeCount
        seeds = sweep.seeds
        testEdges = sweep.testEdges
        var methods: [String: Method] = [:]
        for method in list where sweep.results[method] != nil {
            func paired(against other: RelatedMethod?) -> Paired? {
                guard let other, let mine = sweep.summary(method, \.meanReciprocalRank), let theirs = sweep.summary(other, \.meanReciprocalRank) else { return nil }
                let (difference, wins) = mine.paired(minus: theirs)
                return Paired(against: other.rawValue, difference: difference, wins: wins)
            }
            var directionByDegree: [String: DirectionBucket] = [:]
            for (label, _) in LinkPredictionEvaluator.directionBuckets {
                guard let auc = sweep.summary(method, { $0.directionByDegree[label]?.directionAUC }),
                      let pairs = sweep.summary(method, { $0.directionByDegree[label].map { Double($0.pairs) } }) else { continue }
                directionByDegree[label] = DirectionBucket(directionAUC: auc, pairs: pairs)
            }
            methods[method.rawValue] = Method(
                hit5: sweep.summary(method, \.hitRateAt5), hit10: sweep.summary(method, \.hitRateAt10), hit20: sweep.summary(method, \.hitRateAt20),
                mrr: sweep.summary(method, \.meanReciprocalRank), ndcg10: sweep.summary(method, \.ndcgAt10),
                directionAUC: sweep.summary(method, \.directionAUC), degreeOneHit10: sweep.summary(method) { $0.byDegree["1"]?.hitRateAt10 },
                directionByDegree: directionByDegree,
                trainSeconds: SeedSummary(sweep.results[method]!.map(\.trainSeconds)),
                pairedMRR: paired(against: sweep.strongestOther(than: method)),
                pairedMRRBaseline: paired(against: sweep.strongestOther(than: method, baselinesOnly: true)),
                fitted: sweep.results[method]!.map(\.details))
        }
        self.methods = methods
    }
}
