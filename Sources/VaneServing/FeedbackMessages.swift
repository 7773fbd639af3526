import Foundation

/// The body of `POST /v1/feedback`: labelled outcomes of earlier decisions, so the server can check
/// that the serving policy still keeps its precision promise on live traffic.
///
/// `{"outcomes": [{"score": 0.41, "uncertainty": 0.02, "converted": true}]}`: score and uncertainty
/// as `/v1/decide` returned them, `converted` the label that arrived later. The serving policy
/// decides each outcome again; only the accepted ones count towards its precision.
struct FeedbackRequest: Decodable {
    struct Outcome: Decodable {
        var score: Double
        var uncertainty: Double
        var converted: Bool
    }
    var outcomes: [Outcome]
}

/// The answer of `POST /v1/feedback`: the policy's precision on all feedback since this model set
/// was loaded, and the drift check of `vane thresholds evaluate` on it.
struct FeedbackResponse: Encodable {
    let modelVersion: Int
    let policy: String
    let targetPrecision: Double
    let outcomes: Int
    let accepted: Int
    let truePositives: Int
    /// Precision of the accepted outcomes; absent while nothing was accepted.
    let precision: Double?
    /// P(Bin(accepted, target) <= true positives): how surprising this precision is if the promise held.
    let belowTargetPValue: Double
    /// The level below which the window counts as drifted (the policy's delta, or 0.05).
    let driftLevel: Double
    let drifted: Bool
    enum CodingKeys: String, CodingKey {
        case modelVersion = "model_version", policy, targetPrecision = "target_precision", outcomes, accepted
        case truePositives = "true_positives", precision, belowTargetPValue = "below_target_p_value", driftLevel = "drift_level", drifted
    }
}
