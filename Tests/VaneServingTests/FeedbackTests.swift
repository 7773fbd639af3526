import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VaneDecisions
import VaneTensor
@testable import VaneServing

/// `POST /v1/feedback`: the serving policy's precision on labelled outcomes, and the drift check.
@Suite("Policy feedback and drift")
struct FeedbackTests {
    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// `count` outcomes the fixture policy accepts (score 0.99, uncertainty 0.01), of which `converted` converted.
    func acceptedOutcomes(_ count: Int, converted: Int) -> String {
        let rows = (0..<count).map { #"{"score": 0.99, "uncertainty": 0.01, "converted": \#($0 < converted)}"# }
        return "{\"outcomes\": [\(rows.joined(separator: ","))]}"
    }

    @Test func feedbackCountsAcceptedOutcomesAndFlagsDrift() async throws {
        let store = try ServingFixtures.store()
        let policy = try ServingFixtures.policy()
        #expect(policy.decide(score: 0.99, uncertainty: 0.01) && !policy.decide(score: 0.01, uncertainty: 0.99))
        try await ServingFixtures.application(store: store).test(.router) { client in
            // Precision 0.9 on 100 accepted outcomes for a 0.7 promise: kept. A rejected outcome
            // does not count towards precision.
            let kept = acceptedOutcomes(100, converted: 90).dropLast(2) + #", {"score": 0.01, "uncertainty": 0.99, "converted": false}]}"#
            try await client.execute(uri: "/v1/feedback", method: .post, body: ByteBuffer(string: String(kept))) { response in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["outcomes"] as? Int == 101 && body["accepted"] as? Int == 100 && body["true_positives"] as? Int == 90)
                #expect(body["drifted"] as? Bool == false && body["target_precision"] as? Double == 0.7)
            }
            // Then 200 more at precision 0.4: cumulative 170 / 300 = 0.57, far below 0.7.
            try await client.execute(uri: "/v1/feedback", method: .post, body: ByteBuffer(string: acceptedOutcomes(200, converted: 80))) { response in
                let body = try json(response)
                #expect(body["accepted"] as? Int == 300 && body["true_positives"] as? Int == 170)
                let pValue = try #require(body["below_target_p_value"] as? Double)
                #expect(abs(pValue - PrecisionBound.belowTargetPValue(truePositives: 170, accepted: 300, target: 0.7)) < 1e-12)
                #expect(pValue < 1e-5 && body["drifted"] as? Bool == true)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("vane_policy_feedback_accepted_total 300"))
                #expect(text.contains("vane_policy_feedback_true_positives_total 170"))
                #expect(text.contains("vane_policy_drifted 1"))
                #expect(text.contains("vane_requests_total{route=\"/v1/feedback\",status=\"200\"} 2"))
            }
        }
    }

    @Test func feedbackStartsAgainForANewModelSet() {
        let metrics = ServingMetrics()
        _ = metrics.recordFeedback(version: 1, outcomes: 10, accepted: 8, truePositives: 2)
        let counts = metrics.recordFeedback(version: 2, outcomes: 5, accepted: 5, truePositives: 5)
        #expect(counts == .init(modelVersion: 2, outcomes: 5, accepted: 5, truePositives: 5))
    }

    @Test(arguments: [
        (#"{"outcomes": [{"score": 1.5, "uncertainty": 0, "converted": true}]}"#, "outcomes[0].score"),
        (#"{"outcomes": [{"score": 0.5, "uncertainty": -1, "converted": true}]}"#, "outcomes[0].uncertainty"),
        (#"{"outcomes": [{"score": 0.5, "uncertainty": 0}]}"#, "converted"),
        (#"{"outcomes": []}"#, "outcomes"),
        (#"{"outcomes": [{"score": "high", "uncertainty": 0, "converted": true}]}"#, "score"),
        (#"nope"#, "JSON"),
    ])
    func feedbackRefusesBadBodiesPrecisely(body: String, mention: String) async throws {
        try await ServingFixtures.application(store: ServingFixtures.store()).test(.router) { client in
            try await client.execute(uri: "/v1/feedback", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest, "\(body)")
                let message = (try json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(mention), "\(body): \(message)")
            }
        }
    }

    @Test func feedbackWithoutAPolicyIs503() async throws {
        try await ServingFixtures.application(store: ServingFixtures.store(policy: false)).test(.router) { client in
            try await client.execute(uri: "/v1/feedback", method: .post, body: ByteBuffer(string: acceptedOutcomes(1, converted: 1))) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }
}
