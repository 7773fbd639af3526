import Foundation
import VaneErrors

/// Reads and writes the safetensors format (Hugging Face), so Vane models open in Python with
/// `safetensors.numpy.load_file` or a few lines of numpy.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (plus optional string `__metadata__`), then the
/// raw little-endian data. Vane stores `F32` matrices and `I32` index arrays.
public enum SafeTensors {
    /// A tensor as stored: float32 matrix or int32 array with a shape.
    public enum Tensor: Sendable, Equatable {
        case float32(Matrix)
        case int32([Int32], shape: [Int])
    }

    /// What went wrong reading a file (code `malformed`, the file as `location`).
    public typealias FormatError = VaneError<SafeTensorsErrorCode>

    /// Serialises tensors (sorted by name, 8-byte aligned data) and metadata.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        // The header first (offsets follow from the sizes), then one buffer of the final size: the
        // body is copied once, so encoding a model needs its size in memory, not two or three times it.
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        let names = tensors.keys.sorted()
        var bodySize = 0
        for name in names {
            let begin = bodySize
            let dtype: String, shape: [Int]
            switch tensors[name]! {
            case .float32(let matrix):
                dtype = "F32"
                shape = [matrix.rows, matrix.columns]
                bodySize += matrix.values.count * MemoryLayout<Float>.size
            case .int32(let values, let tensorShape):
                precondition(tensorShape.reduce(1, *) == values.count, "SafeTensors: shape does not match count")
                dtype = "I32"
                shape = tensorShape
                bodySize += values.count * MemoryLayout<Int32>.size
            }
            header[name] = ["dtype": dtype, "shape": shape, "data_offsets": [begin, bodySize]]
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var length = UInt64(json.count).littleEndian
        var result = Data()
        result.reserveCapacity(8 + json.count + bodySize)
        withUnsafeBytes(of: &length) { result.append(contentsOf: $0) }
        result.append(json)
        for name in names {
            switch tensors[name]! {
            case .float32(let matrix): matrix.values.withUnsafeBytes { result.append(contentsOf: $0) }
            case .int32(let values, _): values.withUnsafeBytes { result.append(contentsOf: $0) }
            }
        }
        return result
    }

    /// Parses a safetensors file's bytes; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(FormatError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ message: String) -> FormatError { FormatError(.malformed, message, location: SourceLocation(file: file)) }
        guard data.count >= 8 else { throw fail("too short for a safetensors file (\(data.count) bytes)") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | (UInt64($1.element) << (8 * UInt64($1.offset))) }
        guard headerLength <= UInt64(data.count - 8) else { throw fail("header length \(headerLength) exceeds file size") }
        let headerData = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let bodyStart = 8 + Int(headerLength)
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = value as? [String: String] ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("tensor \"\(name)\" has a malformed header entry") }
            // Every size is checked without overflow: a hand-edited header may hold any integers.
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] <= data.count - bodyStart else {
                throw fail("tensor \"\(name)\" lies outside the file")
            }
            let (begin, end) = (bodyStart + offsets[0], bodyStart + offsets[1])
            guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("tensor \"\(name)\": negative dimension in shape \(shape)") }
            var count = 1
            for dimension in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw fail("tensor \"\(name)\": shape \(shape) does not match \(end - begin) bytes") }
                count = product
            }
            guard count <= (end - begin) / 4, (end - begin) == count * 4 else {
                throw fail("tensor \"\(name)\": shape \(shape) does not match \(end - begin) bytes")
            }
            let bytes = data.subdata(in: begin..<end)
            switch dtype {
            case "F32":
                guard shape.count == 2 || shape.count == 1 else { throw fail("tensor \"\(name)\": F32 must be 1-D or 2-D") }
                var values = [Float](repeating: 0, count: count)
                _ = values.withUnsafeMutableBytes { bytes.copyBytes(to: $0) }
                let rows = shape.count == 2 ? shape[0] : count, columns = shape.count == 2 ? shape[1] : 1
                tensors[name] = .float32(Matrix(rows: rows, columns: columns, values: values))
            case "I32":
                var values = [Int32](repeating: 0, count: count)
                _ = values.withUnsafeMutableBytes { bytes.copyBytes(to: $0) }
                tensors[name] = .int32(values, shape: shape)
            default:
                throw fail("tensor \"\(name)\": dtype \(dtype) is not supported (F32 and I32 are)")
            }
        }
        return (tensors, metadata)
    }
}

/// The codes of `SafeTensors.FormatError`.
public enum SafeTensorsErrorCode: String, VaneErrorCode {
    /// The bytes are not a safetensors file this reader accepts (header, offsets, shapes, dtypes).
    case malformed
}
