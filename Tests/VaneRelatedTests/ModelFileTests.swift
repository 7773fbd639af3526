import Foundation
import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

/// Hand-edited related-items model directories are refused with the file and field at fault.
@Suite("Related model files")
struct ModelFileTests {
    func savedModel(scale: Float = 1) throws -> String {
        let graph = DirectedGraph(nodeNames: ["a", "b", "c"], edges: [.init(source: 0, target: 1)])
        let model = RelatedItemModel(method: "vane", graph: graph, sourceEmbeddings: Matrix([[1, 0], [0, 1], [1, 1]]),
                                     targetEmbeddings: Matrix([[scale, 0], [0, scale], [scale, scale]]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-related-file-\(UUID().uuidString)").path
        try model.save(to: directory)
        return directory
    }

    @Test func duplicateItemNamesAreRefused() throws {
        let directory = try savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let url = URL(fileURLWithPath: directory).appendingPathComponent("model.json")
        var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        object["items"] = ["a", "b", "a"]
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        #expect { _ = try RelatedItemModel.load(from: directory) } throws: { error in
            (error as? RelatedError)?.code == .modelFile && "\(error)".contains("items[2]")
        }
    }

    @Test func embeddingsThatOverflowAScoreAreRefused() throws {
        let directory = try savedModel(scale: 1e38)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect { _ = try RelatedItemModel.load(from: directory) } throws: { "\($0)".contains("overflow") }
        let fine = try savedModel(scale: 1e10)
        defer { try? FileManager.default.removeItem(atPath: fine) }
        #expect(throws: Never.self) { _ = try RelatedItemModel.load(from: fine) }
    }

    @Test func safetensorsHeadersWithHugeShapesAreRefused() throws {
        for (shape, offsets) in [("[4611686018427387904, 4]", "[0, 16]"), ("[-1, -16]", "[0, 16]"), ("[2, 2]", "[0, 9223372036854775807]"),
                                 ("[2, 2]", "[16, 0]")] {
            var header = Array("{\"w\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":\(offsets)}}".utf8)
            while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
            var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
            bytes += header + [UInt8](repeating: 0, count: 16)
            #expect(throws: SafeTensors.FormatError.self, "\(shape) \(offsets)") { _ = try SafeTensors.decode(Data(bytes), file: "m.safetensors") }
        }
    }
}
