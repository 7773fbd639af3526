import Foundation

extension DecodingError {
    /// "rows[2].features.price: expected a number, a string or null": the JSON path and the reason, for
    /// errors about a JSON document (request bodies, model and policy files).
    public var fieldMessage: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "document" : text
        }
        switch self {
        case .typeMismatch(let type, let context):
            let reason = context.debugDescription.hasPrefix("expected") ? context.debugDescription : "expected \(type)"
            return "\(path(context.codingPath)): \(reason)"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)): must not be null"
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): required field is missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "does not match the expected shape"
        }
    }
}
