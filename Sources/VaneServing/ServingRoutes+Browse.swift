import Foundation
import Hummingbird
import HummingbirdCore
import VaneRelated

/// The routes behind the browser page, public API like the others:
///
/// - `GET /`: the page (`BrowserPage`), self-contained, no external assets.
/// - `GET /v1/items?q=TEXT&limit=20`: items whose name or title contains TEXT (case-insensitive;
///   exact name, name prefix, word prefix, substring, in that order, most linked-to first);
///   `?names=a,b` looks items up by name instead (unknown names are left out).
/// - `GET /v1/recommended-by/{item}?k=10`: the items that show {item} within their top 10, best
///   rank first (needs the top-targets index).
/// - `GET /v1/models`: what is serving (methods, feature columns, the policy's thresholds).
extension ServingRoutes {
    /// Longest search text and most results or names per `/v1/items` request.
    static let maximumQueryLength = 100
    static let maximumItemResults = 50

    static func addBrowseRoutes(to router: Router<BasicRequestContext>, store: ModelStore, configuration: ServingConfiguration) {
        router.get("") { _, _ -> Response in
            Response(status: .ok,
                     headers: [.contentType: "text/html; charset=utf-8",
                               .contentSecurityPolicy: "default-src 'none'; connect-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"],
                     body: .init(byteBuffer: ByteBuffer(string: BrowserPage.html)))
        }
        router.get("v1/items") { request, _ -> Response in
            try json(items(query: request.uri.queryParameters, models: store.models, configuration: configuration))
        }
        router.get("v1/recommended-by/:item") { request, context -> Response in
            try json(recommenders(uri: request.uri, item: context.parameters.get("item") ?? "", models: store.models, configuration: configuration))
        }
        router.get("v1/models") { _, _ -> Response in
            try json(modelsDescription(store.models))
        }
    }

    static func catalogue(of models: ServingModels) throws(ServingError) -> ServingCatalogue {
        guard let catalogue = models.catalogue else { throw ServingError(.modelUnavailable, "no related-items model is loaded (start with --related DIR)") }
        return catalogue
    }

    static func items(query: Parameters, models: ServingModels, configuration: ServingConfiguration) throws(ServingError) -> ItemsResponse {
        let catalogue = try catalogue(of: models)
        switch (query["q"], query["names"]) {
        case (let text?, nil):
            let search = String(text)
            guard !search.isEmpty, search.count <= maximumQueryLength else {
                throw ServingError(.badRequest, "q must be 1 to \(maximumQueryLength) characters, got \(search.count)")
            }
            var limit = 20
            if let value = query["limit"] {
                guard let parsed = Int(value), (1...maximumItemResults).contains(parsed) else {
                    throw ServingError(.badRequest, "limit must be an integer from 1 to \(maximumItemResults), got \"\(value)\"")
                }
                limit = parsed
            }
            return ItemsResponse(query: search, results: catalogue.search(search, limit: limit).map { ItemMessage($0.entry, match: $0.match) })
        case (nil, let names?):
            let list = names.split(separator: ",").map { String($0) }
            guard list.count <= configuration.maximumExcluded else {
                throw ServingError(.badRequest, "names lists \(list.count) items; at most \(configuration.maximumExcluded)")
            }
            return ItemsResponse(query: nil, results: list.compactMap { catalogue.id(of: $0).map { ItemMessage(catalogue.entry($0)) } })
        default:
            throw ServingError(.badRequest, "give q=TEXT to search or names=a,b to look items up (one of them)")
        }
    }

    static func recommenders(uri: URI, item rawItem: String, models: ServingModels,
                             configuration: ServingConfiguration) throws(ServingError) -> RecommendersResponse {
        let catalogue = try catalogue(of: models)
        let item = rawItem.removingPercentEncoding ?? rawItem
        guard let id = catalogue.id(of: item) else {
            throw ServingError(.unknownItem, "unknown item \"\(item)\" (the model knows \(catalogue.itemCount) items)")
        }
        guard let lists = catalogue.recommenders else {
            throw ServingError(.modelUnavailable, "who recommends an item is read from the top-targets index, and the model has none (vane graph index --model DIR)")
        }
        var count = configuration.defaultCount
        if let text = uri.queryParameters["k"] {
            guard let value = Int(text), value >= 1, value <= configuration.maximumCount else {
                throw ServingError(.badRequest, "k must be an integer from 1 to \(configuration.maximumCount), got \"\(text)\"")
            }
            count = value
        }
        let names = models.related!.graph.nodeNames
        return RecommendersResponse(item: item, modelVersion: models.version, depth: lists.depth, total: lists.recommenderCount(of: id),
                                    results: lists.recommenders(of: id, count: count).map { .init(item: names[Int($0.source)], rank: $0.rank, score: $0.score) })
    }

    static func modelsDescription(_ models: ServingModels) -> ModelsResponse {
        ModelsResponse(
            modelVersion: models.version,
            related: models.related.map { .init(method: $0.method, items: $0.itemCount, dimension: $0.dimension, indexCount: models.relatedIndex?.count,
                                                titles: models.catalogue?.hasTitles ?? false) },
            conversion: models.conversion.map { .init(method: $0.method.rawValue, features: $0.encoder.featureColumns) },
            policy: models.policy.map { .init(kind: $0.kind.rawValue, targetPrecision: $0.targetPrecision, uncertaintyCuts: $0.uncertaintyCuts,
                                              scoreThresholds: $0.scoreThresholds.map { $0.isFinite ? $0 : nil }) })
    }
}
