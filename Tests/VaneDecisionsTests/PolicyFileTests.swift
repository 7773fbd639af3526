import Foundation
import Testing
@testable import VaneDecisions

/// Hand-edited policy files: every broken invariant is refused at load, naming the field, so that
/// `decide` can never index out of range or compare against NaN.
@Suite("Policy files")
struct PolicyFileTests {
    func fitted(_ kind: ThresholdPolicy.Kind) throws -> ThresholdPolicy {
        try ThresholdPolicyFitter(targetPrecision: 0.6, uncertaintyBins: 4).fit(kind, on: premiseExamples(count: 4000, seed: 9))
    }

    /// Writes `policy`'s JSON edited by `edit` and loads it back.
    func load(_ policy: ThresholdPolicy, _ edit: (inout [String: Any]) -> Void) throws -> ThresholdPolicy {
        var object = try #require(JSONSerialization.jsonObject(with: policy.jsonData()) as? [String: Any])
        edit(&object)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-policy-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return try ThresholdPolicy.load(path: path)
    }

    @Test func unchangedPoliciesLoad() throws {
        for kind in ThresholdPolicy.Kind.allCases {
            let policy = try fitted(kind)
            #expect(try load(policy) { _ in } == policy)
        }
    }

    @Test func brokenInvariantsAreRefusedNamingTheField() throws {
        let mist = try fitted(.mist)
        let single = try fitted(.single)
        let cases: [(ThresholdPolicy, String, (inout [String: Any]) -> Void)] = [
            (mist, "scoreThresholds", { $0["scoreThresholds"] = Array(($0["scoreThresholds"] as! [Any]).prefix(2)) }),
            (mist, "calibrations", { $0["calibrations"] = Array(($0["calibrations"] as! [Any]).prefix(1)) }),
            (mist, "calibrations[0].values", { var c = $0["calibrations"] as! [[String: Any]]
                                               c[0] = ["blockStarts": [Double](), "values": [Double]()]; $0["calibrations"] = c }),
            (mist, "scoreThresholds[1]", { var t = $0["scoreThresholds"] as! [Any]; t[1] = "nan"; $0["scoreThresholds"] = t }),
            (mist, "uncertaintyCuts[1]", { var c = $0["uncertaintyCuts"] as! [Double]; c.swapAt(0, 2); $0["uncertaintyCuts"] = c }),
            (mist, "uncertaintyCuts[0]", { var c = $0["uncertaintyCuts"] as! [Any]; c[0] = "inf"; $0["uncertaintyCuts"] = c }),
            (mist, "targetPrecision", { $0["targetPrecision"] = 5 }),
            (mist, "calibrations[2].values", { var c = $0["calibrations"] as! [[String: Any]]
                                               var v = c[2]["values"] as! [Double]; v[0] = 7; c[2]["values"] = v; $0["calibrations"] = c }),
            (single, "calibrations", { $0["calibrations"] = [["blockStarts": [0.5], "values": [0.5]]] }),
        ]
        for (policy, field, edit) in cases {
            #expect {
                _ = try load(policy, edit)
            } throws: { error in
                (error as? DecisionError)?.code == .policyFile && "\(error)".contains(field)
            }
        }
    }

    @Test func learnThenTestPoliciesRoundTripAndRefuseAnEditedConfidence() throws {
        let (policy, _) = try ThresholdPolicyFitter(targetPrecision: 0.6, uncertaintyBins: 4)
            .fitLearnThenTest(.mist, on: premiseExamples(count: 4000, seed: 9))
        #expect(policy.bound == .clopperPearson(confidence: 0.9))
        #expect(try load(policy) { _ in } == policy)
        #expect {
            _ = try load(policy) { $0["bound"] = ["clopperPearson": ["confidence": 1.5]] }
        } throws: { error in
            (error as? DecisionError)?.code == .policyFile && "\(error)".contains("bound.clopperPearson.confidence")
        }
    }

    @Test func malformedJSONNamesThePath() throws {
        let mist = try fitted(.mist)
        #expect {
            _ = try load(mist) { $0["scoreThresholds"] = "x" }
        } throws: { "\($0)".contains("scoreThresholds") }
    }
}
