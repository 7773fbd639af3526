import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VaneConversions
import VaneRelated
@testable import VaneServing

@Suite("HTTP routes")
struct ServingTests {
    func application(store: ModelStore, metrics: ServingMetrics = ServingMetrics(),
                     configuration: ServingConfiguration = .init()) -> some ApplicationProtocol {
        ServingFixtures.application(store: store, metrics: metrics, configuration: configuration)
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func errorCode(_ response: TestResponse) -> String? {
        ((try? json(response))?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func relatedReturnsBestUnknownTargets() async throws {
        try await application(store: ServingFixtures.store()).test(.router) { client in
            try await client.execute(uri: "/v1/related/a?k=2", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["item"] as? String == "a")
                let results = try #require(body["results"] as? [[String: Any]])
                #expect(results.map { $0["item"] as? String } == ["d", "e"])  // b, c known; a itself never
                #expect((results[0]["score"] as? Double) == 2)
            }
            try await client.execute(uri: "/v1/related/a?k=2&exclude=d", method: .get) { response in
                let results = try #require(try json(response)["results"] as? [[String: Any]])
                #expect(results.map { $0["item"] as? String } == ["e"])
            }
        }
    }

    @Test(arguments: [
        ("/v1/related/zzz", 404, "unknown-item"),
        ("/v1/related/a?k=0", 400, "bad-request"),
        ("/v1/related/a?k=101", 400, "bad-request"),
        ("/v1/related/a?k=ten", 400, "bad-request"),
        ("/v1/related/a?exclude=nope", 400, "bad-request"),
    ])
    func relatedErrors(uri: String, status: Int, code: String) async throws {
        try await application(store: ServingFixtures.store()).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(Int(response.status.code) == status)
                #expect(errorCode(response) == code)
            }
        }
    }

    @Test func tooManyExclusionsRefused() async throws {
        var configuration = ServingConfiguration()
        configuration.maximumExcluded = 2
        try await application(store: ServingFixtures.store(), configuration: configuration).test(.router) { client in
            try await client.execute(uri: "/v1/related/a?exclude=b,c,d", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func decideScoresAndDecides() async throws {
        let store = try ServingFixtures.store()
        let model = try ServingFixtures.conversionModel(), policy = try ServingFixtures.policy()
        let body = #"{"rows": [{"item": "i1", "features": {"price": 30, "device": "mobile"}}, {"features": {"device": null}}]}"#
        try await application(store: store).test(.router) { client in
            try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let decoded = try json(response)
                #expect(decoded["policy"] as? String == "mist")
                let results = try #require(decoded["results"] as? [[String: Any]])
                #expect(results.count == 2)
                let expected = try model.predict(record: ["item": .text("i1"), "price": .number(30), "device": .text("mobile")], source: "t")
                #expect(abs((results[0]["score"] as? Double ?? -1) - expected.probability) < 1e-9)
                #expect(abs((results[0]["uncertainty"] as? Double ?? -1) - expected.uncertainty) < 1e-9)
                #expect(results[0]["accept"] as? Bool == policy.decide(score: expected.probability, uncertainty: expected.uncertainty))
                // Price missing: sigmoid(-1 + missing-indicator weight 0) = sigmoid(-1).
                #expect(abs((results[1]["score"] as? Double ?? -1) - 1 / (1 + exp(1.0))) < 1e-6)
            }
        }
    }

    @Test(arguments: [
        (#"{"rows": [{"features": {"price": "cheap"}}]}"#, "price"),
        (#"{"rows": [{"features": {"colour": "red"}}]}"#, "colour"),
        (#"{"rows": [{"features": {"price": [1]}}]}"#, "rows[0].features.price"),
        (#"{"rows": [{"features": {"price": true}}]}"#, "rows[0].features.price"),
        (#"{"rows": "all"}"#, "rows"),
        (#"{"rows": []}"#, "rows"),
        (#"{"items": []}"#, "rows"),
        (#"{"rows": [{"features": {"price": NaN}}]}"#, "JSON"),
        (#"not json"#, "JSON"),
        (#"{"rows": [{"features": {"price": 1e40}}]}"#, "price"),
        (#"{"rows": [{"features": {"price": -1e300}}]}"#, "price"),
    ])
    func decideRefusesBadBodiesPrecisely(body: String, mention: String) async throws {
        try await application(store: ServingFixtures.store()).test(.router) { client in
            try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest, "\(body)")
                let message = (try json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(mention), "\(body): \(message)")
            }
        }
    }

    @Test func decideLimitsRowsAndBodySize() async throws {
        var configuration = ServingConfiguration()
        configuration.maximumDecideRows = 2
        configuration.maximumBodyBytes = 2048
        let rows = String(repeating: #"{"features": {}},"#, count: 3).dropLast()
        try await application(store: ServingFixtures.store(), configuration: configuration).test(.router) { client in
            try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: "{\"rows\": [\(rows)]}")) { response in
                #expect(response.status == .badRequest)
            }
            let big = "{\"rows\": [" + String(repeating: #"{"features": {"device": "mobile"}},"#, count: 100) + "{}]}"
            try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(errorCode(response) == "payload-too-large")
            }
        }
    }

    @Test func routesWithoutTheirModelSay503() async throws {
        let store = ModelStore(models: ServingModels(related: nil, conversion: try ServingFixtures.conversionModel(), policy: nil, version: 1))
        try await application(store: store).test(.router) { client in
            try await client.execute(uri: "/v1/related/a", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(errorCode(response) == "model-unavailable")
            }
            // No policy: scores without decisions.
            try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: #"{"rows": [{"features": {}}]}"#)) { response in
                let results = try #require(try json(response)["results"] as? [[String: Any]])
                #expect(results[0]["accept"] == nil && results[0]["score"] != nil)
            }
        }
    }

    @Test func healthMetricsAndUnknownRoutes() async throws {
        let metrics = ServingMetrics()
        try await application(store: ServingFixtures.store(), metrics: metrics).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["model_version"] as? Int == 1 && body["related_items"] as? Int == 5)
            }
            try await client.execute(uri: "/ping", method: .get) { #expect(String(buffer: $0.body) == "pong\n") }
            try await client.execute(uri: "/v1/related/zzz", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/nowhere", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"vane_requests_total{route="/healthz",status="200"} 1"#))
                #expect(text.contains(#"vane_requests_total{route="/v1/related/{item}",status="404"} 1"#))
                #expect(text.contains(#"vane_request_duration_seconds_count{route="/ping"} 1"#))
                #expect(text.contains("vane_model_version 1"))
            }
        }
        #expect(metrics.requestCount(route: "other", status: 404) == 1)
    }
}
