import Foundation
import Hummingbird
import HummingbirdCore
import VaneIO
import Logging
import VaneConversions
import VaneDecisions
import VaneRelated
import VaneTabular

/// The HTTP routes of `vane serve`, built over a model store; the executable only binds and runs them.
///
/// - `GET /v1/related/{item}?k=10&exclude=a,b`: the k best targets for an item, from the model's
///   top-targets index when it holds the exact answer, else by an exact scan batched with concurrent
///   ones (`RelatedScanBatcher`).
/// - `POST /v1/decide`: score, uncertainty and policy decision per candidate row.
/// - `POST /v1/feedback`: labelled outcomes of earlier decisions; answers the serving policy's precision
///   on them and the drift check, also exposed in `/metrics`.
/// - `GET /healthz`, `GET /ping` (constant), `GET /metrics` (Prometheus text), `POST /admin/reload`.
public enum ServingRoutes {
    /// A router with every route and the metrics/logging middleware.
    public static func router(store: ModelStore, metrics: ServingMetrics, configuration: ServingConfiguration = .init(),
                              logger: Logger = Logger(label: "vane.serve")) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics, logger: logger))
        router.add(middleware: JSONErrorMiddleware(logger: logger))
        router.get("healthz") { _, _ -> Response in
            let models = store.models
            struct Health: Encodable {
                let status = "ok"
                let modelVersion: Int
                let relatedItems: Int?
                let conversionMethod: String?
                let policy: String?
                enum CodingKeys: String, CodingKey {
                    case status, modelVersion = "model_version", relatedItems = "related_items", conversionMethod = "conversion_method", policy
                }
            }
            return try json(Health(modelVersion: models.version, relatedItems: models.related?.itemCount,
                                   conversionMethod: models.conversion?.method.rawValue, policy: models.policy?.kind.rawValue))
        }
        // A constant body through the same middleware: the server's own floor for load tests.
        router.get("ping") { _, _ in "pong\n" }
        router.get("metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText(models: store.models))))
        }
        let scans = RelatedScanBatcher(maximumBatch: configuration.maximumScanBatch, onBatch: { metrics.recordScanBatch(size: $0, statistics: $1) })
        router.get("v1/related/:item") { request, context -> Response in
            let related = try relatedQuery(uri: request.uri, item: context.parameters.get("item") ?? "", models: store.models,
                                           configuration: configuration)
            if let answer = related.models.relatedIndex?.topTargets(for: related.query) {
                metrics.recordRelatedAnswer(fromIndex: true)
                return jsonResponse(relatedResponse(related, answer: answer).jsonBytes())
            }
            // Not provable from the index (or no index): an exact scan, batched with concurrent ones.
            metrics.recordRelatedAnswer(fromIndex: false)
            let answer = await scans.topTargets(for: related.query, models: related.models)
            return jsonResponse(relatedResponse(related, answer: answer).jsonBytes())
        }
        router.post("v1/decide") { request, _ -> Response in
            try json(decide(body: try await collectBody(request, configuration: configuration), models: store.models, configuration: configuration))
        }
        router.post("v1/feedback") { request, _ -> Response in
            try json(feedback(body: try await collectBody(request, configuration: configuration), models: store.models,
                              metrics: metrics, configuration: configuration))
        }
        addBrowseRoutes(to: router, store: store, configuration: configuration)
        router.post("admin/reload") { _, _ -> Response in
            do {
                let models = try store.reload()
                metrics.recordReload(succeeded: true)
                logger.info("models reloaded", metadata: ["version": "\(models.version)"])
                struct Reloaded: Encodable {
                    let status = "reloaded"
                    let modelVersion: Int
                    enum CodingKeys: String, CodingKey { case status, modelVersion = "model_version" }
                }
                return try json(Reloaded(modelVersion: models.version))
            } catch let error as ServingError {
                metrics.recordReload(succeeded: false)
                logger.error("reload failed; the previous models keep serving", metadata: ["reason": "\(error.message)"])
                throw ServingError(.reloadFailed, "\(error.message); version \(store.models.version) keeps serving")
            }
        }
        return router
    }

    /// The encoder of every answer (keys sorted, so bodies are byte-stable).
    /// A request body up to the configured size; a body too large is 413, one the parser refuses 400.
    static func collectBody(_ request: Request, configuration: ServingConfiguration) async throws(ServingError) -> Data {
        var request = request
        do {
            return Data(buffer: try await request.collectBody(upTo: configuration.maximumBodyBytes))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw ServingError(.payloadTooLarge, "body exceeds \(configuration.maximumBodyBytes) bytes")
        } catch {
            // A body the HTTP parser refuses part-way (a bad chunk size, a connection cut early)
            // is the client's fault: 400, never 500.
            throw ServingError(.badRequest, "body could not be read: \(error)")
        }
    }

    /// Counts a `POST /v1/feedback` body against the serving policy and answers its precision and
    /// drift check since the model set was loaded; 400 naming the field, 503 without a policy.
    /// O(outcomes x log bins).
    static func feedback(body: Data, models: ServingModels, metrics: ServingMetrics,
                         configuration: ServingConfiguration) throws(ServingError) -> FeedbackResponse {
        guard let policy = models.policy else { throw ServingError(.modelUnavailable, "no policy is loaded (start with --policy FILE)") }
        let request: FeedbackRequest
        do {
            request = try JSONDecoder().decode(FeedbackRequest.self, from: body)
        } catch let error as DecodingError {
            throw ServingError(.badRequest, "body: \(error.fieldMessage)")
        } catch {
            throw ServingError(.badRequest, "body is not valid JSON")
        }
        guard !request.outcomes.isEmpty else { throw ServingError(.badRequest, "outcomes: give at least one outcome") }
        guard request.outcomes.count <= configuration.maximumDecideRows else {
            throw ServingError(.badRequest, "outcomes: \(request.outcomes.count) outcomes; at most \(configuration.maximumDecideRows) per request")
        }
        var accepted = 0, truePositives = 0
        for (index, outcome) in request.outcomes.enumerated() {
            guard outcome.score.isFinite, (0...1).contains(outcome.score) else {
                throw ServingError(.badRequest, "outcomes[\(index)].score: \(outcome.score) is not a probability in [0, 1]")
            }
            guard outcome.uncertainty.isFinite, outcome.uncertainty >= 0 else {
                throw ServingError(.badRequest, "outcomes[\(index)].uncertainty: \(outcome.uncertainty) must be finite and >= 0")
            }
            if policy.decide(score: outcome.score, uncertainty: outcome.uncertainty) {
                accepted += 1
                if outcome.converted { truePositives += 1 }
            }
        }
        let counts = metrics.recordFeedback(version: models.version, outcomes: request.outcomes.count, accepted: accepted, truePositives: truePositives)
        let (pValue, drifted) = counts.driftCheck(of: policy)
        return FeedbackResponse(modelVersion: models.version, policy: policy.kind.rawValue, targetPrecision: policy.targetPrecision,
                                outcomes: counts.outcomes, accepted: counts.accepted, truePositives: counts.truePositives,
                                precision: counts.accepted > 0 ? Double(counts.truePositives) / Double(counts.accepted) : nil,
                                belowTargetPValue: pValue, driftLevel: policy.bound.driftLevel, drifted: drifted)
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func json(_ value: some Encodable) throws -> Response {
        jsonResponse(try encoder().encode(value))
    }

    static func jsonResponse(_ bytes: some Sequence<UInt8>) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Answers `GET /v1/related/{item}?k=..&exclude=..` given as a request target (path and query)
    /// against a model set: the JSON response bytes, or the `ServingError` the route returns.
    /// O(k) from the index, else O(items x dimension).
    public static func relatedResponse(target: String, models: ServingModels, configuration: ServingConfiguration) throws(ServingError) -> Data {
        let uri = URI(target)
        let prefix = "/v1/related/"
        guard uri.path.hasPrefix(prefix) else { throw ServingError(.notFound, "not a /v1/related/{item} request") }
        let response = try related(uri: uri, item: String(uri.path.dropFirst(prefix.count)), models: models, configuration: configuration)
        return Data(response.jsonBytes())
    }

    /// A validated `/v1/related` request: the model set it runs against and its exact query.
    struct RelatedQuery {
        let models: ServingModels
        let model: RelatedItemModel
        let item: String
        let query: TopTargetsQuery
    }

    /// Checks a `/v1/related/{item}` request against the limits and the model: 404 for an unknown
    /// item, 400 naming `k` or `exclude`, 503 without a model. O(|exclude|).
    static func relatedQuery(uri: URI, item rawItem: String, models: ServingModels,
                             configuration: ServingConfiguration) throws(ServingError) -> RelatedQuery {
        guard let model = models.related else { throw ServingError(.modelUnavailable, "no related-items model is loaded (start with --related DIR)") }
        let item = rawItem.removingPercentEncoding ?? rawItem
        let query = uri.queryParameters
        var count = configuration.defaultCount
        if let text = query["k"] {
            guard let value = Int(text), value >= 1, value <= configuration.maximumCount else {
                throw ServingError(.badRequest, "k must be an integer from 1 to \(configuration.maximumCount), got \"\(text)\"")
            }
            count = value
        }
        let excludedNames = query["exclude"].map { $0.split(separator: ",").map(String.init) } ?? []
        guard excludedNames.count <= configuration.maximumExcluded else {
            throw ServingError(.badRequest, "exclude lists \(excludedNames.count) items; at most \(configuration.maximumExcluded)")
        }
        // The model names unknown items itself: the queried one is a 404, one in `exclude` a bad request.
        let source: Int32
        do { source = try model.itemID(item) } catch { throw ServingError(.unknownItem, error.message) }
        var excluded = Set<Int32>()
        for name in excludedNames {
            do { excluded.insert(try model.itemID(name)) } catch { throw ServingError(.badRequest, "exclude: \(error.message)") }
        }
        return RelatedQuery(models: models, model: model, item: item, query: TopTargetsQuery(source: source, count: count, excluded: excluded))
    }

    /// The response body of an answer (target ids to names).
    static func relatedResponse(_ request: RelatedQuery, answer: [(index: Int32, score: Float)]) -> RelatedResponse {
        let names = request.model.graph.nodeNames
        return RelatedResponse(item: request.item, modelVersion: request.models.version,
                               results: answer.map { .init(item: names[Int($0.index)], score: $0.score) })
    }

    /// Answers from the index when it can prove the answer, else by an exact scan on this thread.
    static func related(uri: URI, item: String, models: ServingModels,
                        configuration: ServingConfiguration) throws(ServingError) -> RelatedResponse {
        let request = try relatedQuery(uri: uri, item: item, models: models, configuration: configuration)
        let answer = models.relatedIndex?.topTargets(for: request.query) ?? models.exactTopTargets(for: [request.query]).answers[0]
        return relatedResponse(request, answer: answer)
    }

    /// Answers a `POST /v1/decide` body against a model set: the JSON response bytes, or the
    /// `ServingError` (400 naming the field, 503 without a conversion model) the route returns.
    /// O(rows x features).
    public static func decideResponse(body: Data, models: ServingModels, configuration: ServingConfiguration) throws(ServingError) -> Data {
        let response = try decide(body: body, models: models, configuration: configuration)
        do { return try encoder().encode(response) } catch {
            throw ServingError(.internalError, "the answer could not be encoded (\(error))")
        }
    }

    static func decide(body: Data, models: ServingModels, configuration: ServingConfiguration) throws(ServingError) -> DecideResponse {
        guard let model = models.conversion else { throw ServingError(.modelUnavailable, "no conversion model is loaded (start with --conversions DIR)") }
        let request: DecideRequest
        do {
            request = try JSONDecoder().decode(DecideRequest.self, from: body)
        } catch let error as DecodingError {
            throw ServingError(.badRequest, "body: \(error.fieldMessage)")
        } catch {
            throw ServingError(.badRequest, "body is not valid JSON")
        }
        guard !request.rows.isEmpty else { throw ServingError(.badRequest, "rows: give at least one row") }
        guard request.rows.count <= configuration.maximumDecideRows else {
            throw ServingError(.badRequest, "rows: \(request.rows.count) rows; at most \(configuration.maximumDecideRows) per request")
        }
        let hasItemFeature = model.encoder.featureColumns.contains("item")
        var results: [DecideResponse.Result] = []
        results.reserveCapacity(request.rows.count)
        for (index, row) in request.rows.enumerated() {
            var record = (row.features ?? [:]).mapValues(\.value)
            if let item = row.item {
                guard hasItemFeature else { throw ServingError(.badRequest, "rows[\(index)].item: the conversion model has no item feature") }
                record["item"] = .text(item)
            }
            let prediction: ConversionModel.Prediction
            do {
                prediction = try model.predict(record: record, source: "rows[\(index)].features")
            } catch {
                throw ServingError(.badRequest, error.description)
            }
            let policy = models.policy
            results.append(.init(score: prediction.probability, uncertainty: prediction.uncertainty,
                                 accept: policy?.decide(score: prediction.probability, uncertainty: prediction.uncertainty),
                                 calibratedScore: policy?.recalibratedScore(score: prediction.probability, uncertainty: prediction.uncertainty),
                                 uncertaintyBin: policy?.uncertaintyBin(prediction.uncertainty)))
        }
        return DecideResponse(modelVersion: models.version, method: model.method.rawValue, policy: models.policy?.kind.rawValue, results: results)
    }
}
