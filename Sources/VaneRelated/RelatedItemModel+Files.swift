import Foundation
import VaneIO
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
        /// Walk-feature weights (`NeighbourhoodTerm`); absent for embedding-only models.
        var neighbourhood: NeighbourhoodTerm?
    }

    /// Writes the model into `directory` (created if needed); `details` lands in model.json.
    /// Returns the fingerprint of the files written, the one `load(from:)` will find and a
    /// `RelatedItemIndex` built for them must carry.
    @discardableResult
    public func save(to directory: String, details: [String: String] = [:]) throws -> ContentFingerprint {
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
        let metadata = Metadata(method: method, items: graph.nodeNames, dimension: dimension, details: details, neighbourhood: neighbourhood)
        let metadataData = try encoder.encode(metadata)
        try metadataData.write(to: url.appendingPathComponent(Self.metadataFile), options: .atomic)
        return ContentFingerprint(of: [metadataData, data])
    }

    /// Reads a model directory written by `save(to:)`; errors name the file and what is wrong.
    public static func load(from directory: String) throws(RelatedError) -> RelatedItemModel {
        let files = ModelDirectory(path: directory, writtenBy: "vane graph train")
        let metadataData: Data, embeddingsData: Data
        do {
            metadataData = try files.read(metadataFile)
            embeddingsData = try files.read(embeddingsFile)
        } catch { throw RelatedError(.modelFile, error.description) }
        return try decode(metadata: metadataData, embeddings: embeddingsData, metadataFile: files.filePath(metadataFile),
                          embeddingsFile: files.filePath(embeddingsFile))
    }

    /// Builds a model from the bytes of `model.json` and `embeddings.safetensors`, checking every
    /// invariant first (unique non-empty names, matching shapes, finite embeddings whose scores cannot
    /// overflow, edge ids in range); the file names label errors. O(items x dimension + edges).
    public static func decode(metadata metadataData: Data, embeddings embeddingsData: Data,
                              metadataFile: String, embeddingsFile: String) throws(RelatedError) -> RelatedItemModel {
        func fail(_ message: String) -> RelatedError { RelatedError(.modelFile, message) }
        let metadataURL = URL(fileURLWithPath: metadataFile), embeddingsURL = URL(fileURLWithPath: embeddingsFile)
        let metadata: Metadata
        do { metadata = try ModelDirectory.decodeDescription(Metadata.self, from: metadataData, file: metadataURL.path, format: "vane-related-v1") } catch {
            throw fail(error.description)
        }
        guard metadata.format == "vane-related-v1" else { throw fail("\(metadataURL.path): format: expected vane-related-v1, got \(metadata.format)") }
        guard !metadata.items.isEmpty else { throw fail("\(metadataURL.path): items: the model lists no items") }
        guard metadata.items.count < Int(Int32.max) else { throw fail("\(metadataURL.path): items: more than 2^31 - 1 items") }
        var seen = Set<String>()
        for (index, name) in metadata.items.enumerated() {
            guard !name.isEmpty else { throw fail("\(metadataURL.path): items[\(index)]: empty item name") }
            guard seen.insert(name).inserted else { throw fail("\(metadataURL.path): items[\(index)]: \"\(name)\" is listed twice") }
        }
        if let term = metadata.neighbourhood {
            if let problem = term.validate() { throw fail("\(metadataURL.path): neighbourhood: \(problem)") }
            for (feature, weight) in term.weights where [weight.presence, weight.logWeight, weight.inDegreeWeight].contains(where: { abs($0) > 1e6 }) {
                throw fail("\(metadataURL.path): neighbourhood: weights of \(feature.rawValue) exceed 1e6 in magnitude")
            }
        }
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
        guard source.columns >= 1, source.columns == metadata.dimension else {
            throw fail("\(embeddingsURL.path): embeddings are \(source.columns) wide, model.json says dimension \(metadata.dimension)")
        }
        guard source.isFinite && target.isFinite else { throw fail("\(embeddingsURL.path): embeddings contain NaN or infinity") }
        // Every score s_u . t_v must stay finite: |score| <= d * max|s| * max|t| < Float.greatestFiniteMagnitude.
        let largestSource = source.values.reduce(Float(0)) { max($0, abs($1)) }, largestTarget = target.values.reduce(Float(0)) { max($0, abs($1)) }
        guard Double(largestSource) * Double(largestTarget) * Double(source.columns) < Double(Float.greatestFiniteMagnitude) / 2 else {
            throw fail("\(embeddingsURL.path): embedding values up to \(largestSource) and \(largestTarget) would overflow a score")
        }
        guard edgeIDs.count == 2 * shape[0] else { throw fail("\(embeddingsURL.path): edges: shape \(shape) does not match \(edgeIDs.count) ids") }
        guard edgeIDs.allSatisfy({ $0 >= 0 && Int($0) < n }) else { throw fail("\(embeddingsURL.path): edge ids out of range") }
        let edges = stride(from: 0, to: edgeIDs.count, by: 2).map { DirectedGraph.Edge(source: edgeIDs[$0], target: edgeIDs[$0 + 1]) }
        return RelatedItemModel(method: metadata.method, graph: DirectedGraph(nodeNames: metadata.items, edges: edges),
                                sourceEmbeddings: source, targetEmbeddings: target, neighbourhood: metadata.neighbourhood,
                                fileFingerprint: ContentFingerprint(of: [metadataData, embeddingsData]))
    }
}
