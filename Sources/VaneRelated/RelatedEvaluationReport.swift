import VaneGraph

/// The `--json` shape of `vane graph evaluate` and `vane-mpi evaluate` (the contract of issue 3):
/// each method's test metrics under the SPEC.md protocol, keyed by method name.
public struct RelatedEvaluationReport: Encodable, Sendable {
    public struct Bucket: Encodable, Sendable {
        public let hit10: Double, mrr: Double, queries: Int
        enum CodingKeys: String, CodingKey { case hit10 = "hit@10", mrr, queries }
    }
    /// Direction AUC of the one-way test edges whose smaller endpoint degree falls in one bucket.
    public struct DirectionBucket: Encodable, Sendable {
        public let directionAUC: Double, pairs: Int
        enum CodingKeys: String, CodingKey { case directionAUC = "direction_auc", pairs }
    }
    public struct Method: Encodable, Sendable {
        public let hit5: Double, hit10: Double, hit20: Double, mrr: Double, ndcg10: Double
        public let directionAUC: Double?
        public let byDegree: [String: Bucket]
        public let directionByDegree: [String: DirectionBucket]
        public let trainSeconds: Double
        public let epochs: Int
        public let sampler: String
        public let fitted: [String: String]
        enum CodingKeys: String, CodingKey {
            case hit5 = "hit@5", hit10 = "hit@10", hit20 = "hit@20", mrr, ndcg10 = "ndcg@10"
            case directionAUC = "direction_auc", byDegree = "by_degree", directionByDegree = "direction_by_degree", trainSeconds = "train_seconds", epochs, sampler, fitted
        }
    }
    public let dataset: String
    public let nodes: Int
    public let edges: Int
    public let testEdges: Int
    public let methods: [String: Method]
    enum CodingKeys: String, CodingKey { case dataset, nodes, edges, testEdges = "test_edges", methods }

    public init(dataset: String, graph: DirectedGraph, results: [RelatedExperiment.Result]) {
        self.dataset = dataset
        nodes = graph.nodeCount
        edges = graph.edgeCount
        testEdges = results.first?.evaluation.queries ?? 0
        var methods: [String: Method] = [:]
        for result in results {
            let e = result.evaluation
            methods[result.method.rawValue] = Method(
                hit5: e.hitRateAt5, hit10: e.hitRateAt10, hit20: e.hitRateAt20, mrr: e.meanReciprocalRank, ndcg10: e.ndcgAt10,
                directionAUC: e.directionAUC,
                byDegree: e.byDegree.mapValues { Bucket(hit10: $0.hitRateAt10, mrr: $0.meanReciprocalRank, queries: $0.queries) },
                directionByDegree: e.directionByDegree.mapValues { DirectionBucket(directionAUC: $0.directionAUC, pairs: $0.pairs) },
                trainSeconds: result.trainSeconds, epochs: result.epochs, sampler: result.samplerDescription, fitted: result.details)
        }
        self.methods = methods
    }
}
