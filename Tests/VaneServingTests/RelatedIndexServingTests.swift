import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VaneGraph
import VaneRelated
import VaneTensor
@testable import VaneServing

/// `/v1/related` from the top-targets index, the exact fallback, batched scans, and reloads that
/// swap a model and its index together.
@Suite("Related items from the index")
struct RelatedIndexServingTests {
    func results(_ response: TestResponse) throws -> [(item: String, score: Double)] {
        let body = try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        let results = try #require(body["results"] as? [[String: Any]])
        return try results.map { (try #require($0["item"] as? String), try #require($0["score"] as? Double)) }
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> [(item: String, score: Double)] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .ok, "\(uri)")
        return try results(response)
    }

    func metricsText(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
    }

    /// The fixture model (scale) saved in `directory` with an index of `count` targets per item.
    func saveWithIndex(scale: Float, count: Int, in directory: String) throws {
        try ServingFixtures.relatedModel(scale: scale).save(to: directory)
        try RelatedItemIndex.build(forModelIn: directory, count: count)
    }

    @Test func answersFromTheIndexAndScansWhenItCannotProveTheAnswer() async throws {
        let directory = ServingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try saveWithIndex(scale: 1, count: 1, in: directory)  // a's list: [d]
        let store = try ModelStore(paths: ModelPaths(related: directory))
        #expect(store.models.relatedIndex?.count == 1)
        try await ServingFixtures.application(store: store).test(.router) { client in
            #expect(try await get(client, "/v1/related/a?k=1").map(\.item) == ["d"])
            // k beyond the stored list, and an exclusion that empties it: exact scans, same answers as without an index.
            #expect(try await get(client, "/v1/related/a?k=2").map(\.item) == ["d", "e"])
            #expect(try await get(client, "/v1/related/a?k=1&exclude=d").map(\.item) == ["e"])
            let text = try await metricsText(client)
            #expect(text.contains(#"vane_related_answers_total{source="index"} 1"#))
            #expect(text.contains(#"vane_related_answers_total{source="scan"} 2"#))
            #expect(text.contains("vane_related_scan_queries_total 2"))
            #expect(text.contains(#"related_index="top-1""#))
        }
    }

    @Test func reloadSwapsModelAndIndexTogetherAndRefusesAStaleIndex() async throws {
        let directory = ServingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try saveWithIndex(scale: 1, count: 2, in: directory)
        let store = try ModelStore(paths: ModelPaths(related: directory))
        try await ServingFixtures.application(store: store).test(.router) { client in
            #expect(try await get(client, "/v1/related/a?k=1").first?.score == 2)
            // Retrained with its index: both swap at once.
            try saveWithIndex(scale: 2, count: 2, in: directory)
            try await client.execute(uri: "/admin/reload", method: .post) { #expect($0.status == .ok) }
            #expect(try await get(client, "/v1/related/a?k=1").first?.score == 4)
            // Retrained without rebuilding the index: the reload is refused and version 2 keeps serving, index and all.
            try ServingFixtures.relatedModel(scale: 3).save(to: directory)
            try await client.execute(uri: "/admin/reload", method: .post) { response in
                #expect(response.status == .unprocessableContent)
                let text = String(buffer: response.body)
                #expect(text.contains(RelatedItemIndex.fileName) && text.contains("rebuild") && text.contains("version 2 keeps serving"))
            }
            #expect(try await get(client, "/v1/related/a?k=1").first?.score == 4)
            #expect(try await metricsText(client).contains(#"vane_related_answers_total{source="index"} 3"#))
        }
        #expect(store.models.version == 2 && store.models.relatedIndex != nil)
    }

    @Test func concurrentScansAreBatchedAndEachGetsItsOwnAnswer() async throws {
        let graph = DirectedGraph(nodeNames: (0..<300).map { "n\($0)" }, edges: (0..<299).map { .init(source: Int32($0), target: Int32($0 + 1)) })
        var generator = SeededGenerator(seed: 5)
        let model = RelatedItemModel(method: "test", graph: graph,
                                     sourceEmbeddings: .normal(rows: 300, columns: 8, standardDeviation: 1, using: &generator),
                                     targetEmbeddings: .normal(rows: 300, columns: 8, standardDeviation: 1, using: &generator))
        let store = ModelStore(models: ServingModels(related: model, conversion: nil, policy: nil, version: 1))
        let metrics = ServingMetrics()
        try await ServingFixtures.application(store: store, metrics: metrics).test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for source in 0..<120 {
                    group.addTask {
                        let excluded = source % 3 == 0 ? "&exclude=n\((source + 7) % 300)" : ""
                        let response = try await client.execute(uri: "/v1/related/n\(source)?k=\(1 + source % 9)\(excluded)", method: .get)
                        #expect(response.status == .ok)
                        let expected = try model.recommend(for: "n\(source)", count: 1 + source % 9,
                                                           excluding: source % 3 == 0 ? ["n\((source + 7) % 300)"] : [])
                        #expect(try results(response).map(\.item) == expected.map(\.item), "n\(source)")
                    }
                }
                try await group.waitForAll()
            }
        }
        let text = metrics.prometheusText(models: store.models)
        #expect(text.contains("vane_related_scan_queries_total 120"))
        #expect(text.contains(#"vane_related_answers_total{source="scan"} 120"#))
        // The scans read the 8-bit targets (the default) and rescored some candidates in float32.
        #expect(store.models.relatedScan != nil)
        #expect(!text.contains("vane_related_scan_rescored_total 0\n") && text.contains("vane_related_scan_fallbacks_total 0"))
    }

    @Test func scanEmbeddingsChooseTheScanAndBothGiveTheSameAnswers() async throws {
        let directory = ServingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let graph = DirectedGraph(nodeNames: (0..<500).map { "n\($0)" }, edges: (0..<499).map { .init(source: Int32($0), target: Int32(($0 * 7 + 1) % 500)) })
        var generator = SeededGenerator(seed: 8)
        try RelatedItemModel(method: "test", graph: graph,
                             sourceEmbeddings: .normal(rows: 500, columns: 12, standardDeviation: 1, using: &generator),
                             targetEmbeddings: .normal(rows: 500, columns: 12, standardDeviation: 1, using: &generator)).save(to: directory)
        let int8 = try ModelStore(paths: ModelPaths(related: directory))
        let float32 = try ModelStore(paths: ModelPaths(related: directory), scanEncoding: .float32)
        #expect(int8.models.relatedScan != nil && float32.models.relatedScan == nil)
        var answers: [[[String]]] = []
        for store in [int8, float32] {
            answers.append(try await ServingFixtures.application(store: store).test(.router) { client in
                var lists: [[String]] = []
                for source in stride(from: 0, to: 500, by: 25) { lists.append(try await get(client, "/v1/related/n\(source)?k=10").map(\.item)) }
                // A reload keeps the store's encoding.
                try await client.execute(uri: "/admin/reload", method: .post) { #expect($0.status == .ok) }
                return lists
            })
        }
        #expect(answers[0] == answers[1])
        #expect(int8.models.version == 2 && int8.models.relatedScan != nil && float32.models.relatedScan == nil)
    }

    @Test func handWrittenJSONIsWhatTheEncoderWrites() throws {
        let names = ["plain", "a/b", "quote\"d", "back\\slash", "tab\tnew\nline\r", "bell\u{07}\u{1F}\u{08}\u{0C}", "caf\u{E9} \u{1F600}", ""]
        let scores: [Float] = [21.051304, -0.5, 1e-7, 3.4e38, 0, 2, 16_777_216, 123456.79, -1.1754944e-38]
        let response = RelatedResponse(item: names[5], modelVersion: 12,
                                       results: zip(names, scores).map { .init(item: $0, score: $1) })
        #expect(response.jsonBytes() == [UInt8](try ServingRoutes.encoder().encode(response)))
        let empty = RelatedResponse(item: "x", modelVersion: 1, results: [])
        #expect(empty.jsonBytes() == [UInt8](try ServingRoutes.encoder().encode(empty)))
    }
}
