/// One item as `GET /v1/items` shows it.
struct ItemMessage: Encodable {
    let item: String
    let title: String?
    /// The node file's other attributes (e.g. `group`); absent when there are none.
    let attributes: [String: String]?
    let inDegree: Int
    let outDegree: Int
    /// How a search matched: "exact-name", "name-prefix", "word-prefix" or "substring"; absent for lookups by name.
    let match: String?
    enum CodingKeys: String, CodingKey { case item, title, attributes, inDegree = "in_degree", outDegree = "out_degree", match }

    init(_ entry: ServingCatalogue.Entry, match: ServingCatalogue.MatchKind? = nil) {
        item = entry.name
        title = entry.title
        attributes = entry.attributes.isEmpty ? nil : entry.attributes
        inDegree = entry.inDegree
        outDegree = entry.outDegree
        self.match = match.map { ["exact-name", "name-prefix", "word-prefix", "substring"][$0.rawValue] }
    }
}

/// The answer of `GET /v1/items?q=..` (search) or `?names=..` (lookup).
struct ItemsResponse: Encodable {
    let query: String?
    let results: [ItemMessage]
}

/// The answer of `GET /v1/recommended-by/{item}`.
struct RecommendersResponse: Encodable {
    struct Result: Encodable {
        let item: String
        /// 1-based position of the queried item in this recommender's list.
        let rank: Int
        let score: Float
    }
    let item: String
    let modelVersion: Int
    /// Recommenders count when the item is within their top `depth`.
    let depth: Int
    /// How many items recommend it within that depth (results holds the first k).
    let total: Int
    let results: [Result]
    enum CodingKeys: String, CodingKey { case item, modelVersion = "model_version", depth, total, results }
}

/// The answer of `GET /v1/models`: what is serving, for clients that adapt to it (the browser page).
struct ModelsResponse: Encodable {
    struct Related: Encodable {
        let method: String
        let items: Int
        let dimension: Int
        /// Targets stored per item in the top-targets index; absent without one.
        let indexCount: Int?
        let titles: Bool
        enum CodingKeys: String, CodingKey { case method, items, dimension, indexCount = "index_count", titles }
    }
    struct Conversion: Encodable {
        let method: String
        let features: [String]
    }
    struct Policy: Encodable {
        let kind: String
        let targetPrecision: Double
        /// Ascending cut points between uncertainty bins.
        let uncertaintyCuts: [Double]
        /// Per bin, accept when score >= threshold; null: the bin accepts nothing.
        let scoreThresholds: [Double?]
        enum CodingKeys: String, CodingKey {
            case kind, targetPrecision = "target_precision", uncertaintyCuts = "uncertainty_cuts", scoreThresholds = "score_thresholds"
        }
    }
    let modelVersion: Int
    let related: Related?
    let conversion: Conversion?
    let policy: Policy?
    enum CodingKeys: String, CodingKey { case modelVersion = "model_version", related, conversion, policy }
}
