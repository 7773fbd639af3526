import Foundation

/// Policy files: pretty JSON with infinite thresholds (a bin that accepts nothing) written as "inf".
extension ThresholdPolicy {
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Reads a policy file; the error names the file.
    public static func load(path: String) throws(DecisionError) -> ThresholdPolicy {
        guard let data = FileManager.default.contents(atPath: path) else { throw DecisionError(.policyFile, "\(path): cannot read") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(ThresholdPolicy.self, from: data)
        } catch {
            throw DecisionError(.policyFile, "\(path): not a policy written by `vane thresholds fit` (\(error))")
        }
    }
}
