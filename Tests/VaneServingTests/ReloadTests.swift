import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VaneRelated
@testable import VaneServing

@Suite("Model reload")
struct ReloadTests {
    @Test func reloadUnderConcurrentRequestsNeverMixesModels() async throws {
        let directory = ServingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ServingFixtures.relatedModel(scale: 1).save(to: directory)
        let store = try ModelStore(paths: ModelPaths(related: directory))
        let metrics = ServingMetrics()
        let application = Application(router: ServingRoutes.router(store: store, metrics: metrics))
        try await application.test(.router) { client in
            try await withThrowingTaskGroup(of: [(version: Int, top: Double)].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var seen: [(Int, Double)] = []
                        for _ in 0..<50 {
                            let response = try await client.execute(uri: "/v1/related/a?k=1", method: .get)
                            #expect(response.status == .ok)
                            let body = try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                            let results = try #require(body["results"] as? [[String: Any]])
                            seen.append((try #require(body["model_version"] as? Int), try #require(results.first?["score"] as? Double)))
                        }
                        return seen
                    }
                }
                group.addTask {
                    // Alternate the files between scale 1 and 2 and reload each time.
                    for round in 0..<6 {
                        try ServingFixtures.relatedModel(scale: round % 2 == 0 ? 2 : 1).save(to: directory)
                        let response = try await client.execute(uri: "/admin/reload", method: .post)
                        #expect(response.status == .ok)
                    }
                    return []
                }
                for try await seen in group {
                    // Each answer comes whole from one model: top score 2 (scale 1) or 4 (scale 2).
                    for (_, top) in seen { #expect(top == 2 || top == 4) }
                    // Versions never go backwards within one client's sequence.
                    #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.0 <= $1.0 })
                }
            }
        }
        #expect(store.models.version == 7)
    }

    @Test func failedReloadKeepsTheOldModelServing() async throws {
        let directory = ServingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ServingFixtures.relatedModel().save(to: directory)
        let store = try ModelStore(paths: ModelPaths(related: directory))
        let metrics = ServingMetrics()
        let application = Application(router: ServingRoutes.router(store: store, metrics: metrics))
        try Data("{\"format\": \"something-else\"}".utf8).write(to: URL(fileURLWithPath: directory + "/model.json"))
        try await application.test(.router) { client in
            try await client.execute(uri: "/admin/reload", method: .post) { response in
                #expect(response.status == .unprocessableContent)
                let text = String(buffer: response.body)
                #expect(text.contains("reload-failed") && text.contains("model.json") && text.contains("version 1 keeps serving"))
            }
            try await client.execute(uri: "/v1/related/a?k=1", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"vane_model_reloads_total{outcome="failed"} 1"#))
            }
        }
        #expect(store.models.version == 1)
    }

    @Test func startupNeedsLoadableModels() {
        #expect { _ = try ModelStore(paths: ModelPaths()) } throws: { ($0 as? ServingError)?.code == .reloadFailed }
        #expect { _ = try ModelStore(paths: ModelPaths(related: "/nonexistent/dir")) } throws: {
            ($0 as? ServingError)?.message.contains("/nonexistent/dir") == true
        }
        #expect { _ = try ModelStore(paths: ModelPaths(related: "/x", policy: "/p.json")) } throws: {
            ($0 as? ServingError)?.message.contains("--conversions") == true
        }
    }
}
