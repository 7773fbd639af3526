import Foundation
import VaneGraph
import VaneTensor

/// Model directories: `embeddings.safetensors` (F32 `source_embeddings`, `target_embeddings`, I32
/// `edges` as (E x 2) ids of the known graph) and `model.json` (method, item names in id order,
/// training configuration and report as free-form JSON). numpy reads both.
extension RelatedItemModel {
    static let embeddingsFile = "embeddings.safetensors"
    static let metadataFile = "model.json"

    struct Metadata: Codable {
        var format = "vane-related-v1"
        var method: String
        var items: [String]
        var dimension: Int
        var details: [String: String]
    }

    /// Writes the model into `directory` (created if needed); `details` lands in model.json.
    public func save(to directory: String, details: [String: String] = [:]) throws {
        let url = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        var edgeIDs: [Int32] = []
        edgeIDs.reserveCapacity(2 * graph.edgeCount)
        for edge in graph.edges { edgeIDs.append(edge.source); edgeIDs.append(edge.target) }
        let tensors: [String: SafeTensors.Tensor] = [
            "source_embeddings": .float32(sourceEmbeddings),
            "target_embeddings": .float32(targetEmbeddings),
            "edges": .int32(edgeIDs, shape: [graph.edgeCount, 2]),
        ]
        // Write to temporary names and rename, so a crash never leaves a half-written model.
        let data = try SafeTensors.encode(tensors, metadata: ["format": "vane-related-v1", "method": method])
        try data.write(to: url.appendingPathComponent(Self.embeddingsFile), options: .atomic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let metadata = Metadata(method: method, items: graph.nodeNames, dimension: dimension, details: details)
        try encoder.encode(metadata).write(to: url.appendingPathComponent(Self.metadataFile), options: .atomic)
    }

    /// Reads a model directory written by `save(to:)`; errors name the file and what is wrong.
    public static func load(from directory: String) throws(RelatedError) -> RelatedItemModel {
        let url = URL(fileURLWithPath: directory)
        let metadataURL = url.appendingPathComponent(metadataFile), embeddingsURL = url.appendingPathComponent(embeddingsFile)
        func fail(_ message: String) -> RelatedError { RelatedError(.modelFile, message) }
        guard let metadataData = try? Data(contentsOf: metadataURL) else {
            throw fail("\(metadataURL.path): cannot read (is \(directory) a model directory from `vane graph train`?)")
        }
        guard let metadata = try? JSONDecoder().decode(Metadata.self, from: metadataData), metadata.format == "vane-related-v1" else {
            throw fail("\(metadataURL.path): not a vane-related-v1 model description")
        }
        guard let embeddingsData = try? Data(contentsOf: embeddingsURL) else { throw fail("\(embeddingsURL.path): cannot read") }
        let tensors: [String: SafeTensors.Tensor]
        do { tensors = try SafeTensors.decode(embeddingsData, file: embeddingsURL.path).tensors } catch { throw fail(error.description) }
        guard case .float32(let source)? = tensors["source_embeddings"], case .float32(let target)? = tensors["target_embeddings"],
              case .int32(let edgeIDs, let shape)? = tensors["edges"], shape.count == 2, shape[1] == 2 else {
            throw fail("\(embeddingsURL.path): needs F32 source_embeddings, target_embeddings and I32 edges (E x 2)")
        }
        let n = metadata.items.count
        guard source.rows == n, target.rows == n, source.columns == target.columns else {
            throw fail("\(embeddingsURL.path): embeddings are \(source.rows)x\(source.columns) and \(target.rows)x\(target.columns), model.json lists \(n) items")
        }
        guard source.isFinite && target.isFinite else { throw fail("\(embeddingsURL.path): embeddings contain NaN or infinity") }
        guard edgeIDs.allSatisfy({ $0 >= 0 && Int($0) < n }) else { throw fail("\(embeddingsURL.path): edge ids out of range") }
        let edges = stride(from: 0, to: edgeIDs.count, by: 2).map { DirectedGraph.Edge(source: edgeIDs[$0], target: edgeIDs[$0 + 1]) }
        return RelatedItemModel(method: metadata.method, graph: DirectedGraph(nodeNames: metadata.items, edges: edges),
                                sourceEmbeddings: source, targetEmbeddings: target)
    }
}
