import Foundation
import VaneIO

/// Policy files: pretty JSON with infinite thresholds (a bin that accepts nothing) written as "inf".
extension ThresholdPolicy {
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Reads a policy file and checks every invariant (`validate()`); the error names the file and field.
    public static func load(path: String) throws(DecisionError) -> ThresholdPolicy {
        guard let data = FileManager.default.contents(atPath: path) else { throw DecisionError(.policyFile, "\(path): cannot read") }
        return try decode(data, file: path)
    }

    /// Parses and validates a policy document's bytes; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(DecisionError) -> ThresholdPolicy {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let policy: ThresholdPolicy
        do {
            policy = try decoder.decode(ThresholdPolicy.self, from: data)
        } catch let error as DecodingError {
            throw DecisionError(.policyFile, "\(file): not a policy written by `vane thresholds fit`: \(error.fieldMessage)")
        } catch {
            throw DecisionError(.policyFile, "\(file): not a policy written by `vane thresholds fit`: \(error)")
        }
        do { try policy.validate() } catch { throw DecisionError(.policyFile, "\(file): \(error.message)") }
        return policy
    }
}
