import Foundation
import VaneTabular

/// The body of `POST /v1/decide`: candidate rows, each an item and its context features.
///
/// `{"rows": [{"item": "phone-case", "features": {"device": "mobile", "price": 12.5}}]}`; a feature
/// is a number, a string or null (missing). `item`, when given, fills the model's `item` feature.
struct DecideRequest: Decodable {
    struct Row: Decodable {
        var item: String?
        var features: [String: RequestFeature]?
    }
    var rows: [Row]
}

/// One feature value as JSON carries it; anything but a number, a string or null is refused.
struct RequestFeature: Decodable {
    let value: FeatureValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .missing
        } else if let number = try? container.decode(Double.self) {
            value = .number(number)
        } else if let text = try? container.decode(String.self) {
            value = .text(text)
        } else {
            throw DecodingError.typeMismatch(FeatureValue.self, .init(codingPath: decoder.codingPath,
                                                                       debugDescription: "expected a number, a string or null"))
        }
    }
}

/// The answer of `POST /v1/decide`, one result per row in order.
struct DecideResponse: Encodable {
    struct Result: Encodable {
        let score: Double
        let uncertainty: Double
        /// The policy's decision; absent when no policy is loaded.
        let accept: Bool?
        /// The policy's recalibrated score (its estimate of the positive rate); absent without a policy.
        let calibratedScore: Double?
        /// The policy's uncertainty bin of the row (0-based; its threshold decides); absent without a policy.
        let uncertaintyBin: Int?
        enum CodingKeys: String, CodingKey {
            case score, uncertainty, accept, calibratedScore = "calibrated_score", uncertaintyBin = "uncertainty_bin"
        }
    }
    let modelVersion: Int
    let method: String
    let policy: String?
    let results: [Result]
    enum CodingKeys: String, CodingKey { case modelVersion = "model_version", method, policy, results }
}

/// The answer of `GET /v1/related/{item}`.
struct RelatedResponse: Encodable {
    struct Result: Encodable {
        let item: String
        let score: Float
    }
    let item: String
    let modelVersion: Int
    let results: [Result]
    enum CodingKeys: String, CodingKey { case item, modelVersion = "model_version", results }
}
