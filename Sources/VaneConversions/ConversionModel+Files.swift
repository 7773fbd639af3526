import Foundation
import VaneIO
import VaneLinear
import VaneTabular
import VaneTensor

/// Model directories: `conversion.safetensors` (F32 `coefficients` (d), `bias` (1), `precisions`
/// (d + 1, the bias last)) and `conversion.json` (method, feature encoder, training details).
extension ConversionModel {
    static let tensorsFile = "conversion.safetensors"
    static let metadataFile = "conversion.json"
    static let format = "vane-conversion-v1"

    struct Metadata: Codable {
        var format: String
        var method: String
        var l2: Float
        var encoder: TableFeatureEncoder
        var details: [String: String]
    }

    /// Writes the model into `directory` (created if needed), each file atomically.
    public func save(to directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let d = model.coefficients.count
        let tensors: [String: SafeTensors.Tensor] = [
            "coefficients": .float32(Matrix(rows: d, columns: 1, values: model.coefficients)),
            "bias": .float32(Matrix(rows: 1, columns: 1, values: [model.bias])),
            "precisions": .float32(Matrix(rows: d + 1, columns: 1, values: (coefficientPrecisions + [biasPrecision]).map(Float.init))),
        ]
        try SafeTensors.encode(tensors, metadata: ["format": Self.format, "method": method.rawValue])
            .write(to: url.appendingPathComponent(Self.tensorsFile), options: .atomic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(Metadata(format: Self.format, method: method.rawValue, l2: model.l2, encoder: self.encoder, details: details))
            .write(to: url.appendingPathComponent(Self.metadataFile), options: .atomic)
    }

    /// Reads a directory written by `save(to:)`; errors name the file and what is wrong.
    public static func load(from directory: String) throws(ConversionError) -> ConversionModel {
        let files = ModelDirectory(path: directory, writtenBy: "vane conversions train")
        let metadataData: Data, tensorData: Data
        do {
            metadataData = try files.read(metadataFile)
            tensorData = try files.read(tensorsFile)
        } catch { throw ConversionError(.modelFile, error.description) }
        return try decode(metadata: metadataData, tensors: tensorData, metadataFile: files.filePath(metadataFile), tensorsFile: files.filePath(tensorsFile))
    }

    /// Builds a model from the bytes of `conversion.json` and `conversion.safetensors`, checking every
    /// invariant first (format, method, encoder: `TableFeatureEncoder.validate`, tensor shapes, finite
    /// coefficients, positive precisions); the file names label errors. O(columns).
    public static func decode(metadata metadataData: Data, tensors tensorData: Data,
                              metadataFile: String, tensorsFile: String) throws(ConversionError) -> ConversionModel {
        func fail(_ message: String) -> ConversionError { ConversionError(.modelFile, message) }
        let metadataURL = URL(fileURLWithPath: metadataFile), tensorsURL = URL(fileURLWithPath: tensorsFile)
        let metadata: Metadata
        do { metadata = try ModelDirectory.decodeDescription(Metadata.self, from: metadataData, file: metadataURL.path, format: format) } catch {
            throw fail(error.description)
        }
        guard metadata.format == format else { throw fail("\(metadataURL.path): format: expected \(format), got \(metadata.format)") }
        guard metadata.l2.isFinite, metadata.l2 >= 0 else { throw fail("\(metadataURL.path): l2 must be finite and >= 0, got \(metadata.l2)") }
        do { try metadata.encoder.validate(file: metadataURL.path) } catch { throw fail(error.description) }
        guard let method = DelayedFeedbackMethod(rawValue: metadata.method) else { throw fail("\(metadataURL.path): unknown method \"\(metadata.method)\"") }
        let tensors: [String: SafeTensors.Tensor]
        do { tensors = try SafeTensors.decode(tensorData, file: tensorsURL.path).tensors } catch { throw fail(error.description) }
        guard case .float32(let coefficients)? = tensors["coefficients"], case .float32(let bias)? = tensors["bias"],
              case .float32(let precisions)? = tensors["precisions"] else {
            throw fail("\(tensorsURL.path): needs F32 coefficients, bias and precisions")
        }
        let d = metadata.encoder.columnCount
        guard coefficients.values.count == d, bias.values.count == 1, precisions.values.count == d + 1 else {
            throw fail("\(tensorsURL.path): expected \(d) coefficients, 1 bias and \(d + 1) precisions for the encoder in \(metadataFile); found \(coefficients.values.count), \(bias.values.count), \(precisions.values.count)")
        }
        guard coefficients.values.allSatisfy(\.isFinite), bias.values[0].isFinite,
              precisions.values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw fail("\(tensorsURL.path): coefficients must be finite and precisions finite and positive")
        }
        let precisionValues = precisions.values.map(Double.init)
        return ConversionModel(method: method, encoder: metadata.encoder,
                               model: FittedLogisticRegression(coefficients: coefficients.values, bias: bias.values[0], l2: metadata.l2),
                               coefficientPrecisions: Array(precisionValues.dropLast()), biasPrecision: precisionValues.last!,
                               details: metadata.details)
    }
}
