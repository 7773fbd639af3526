import Foundation
import VaneConversions
import VaneDecisions
import VaneGraph
import VaneIO
import VaneLinear
import VaneRelated
import VaneServing
import VaneTabular
import VaneTensor

/// One untrusted input surface of Vane: bytes in, a typed error or a value out, never a crash.
///
/// `run` feeds the bytes to the loader or decoder exactly as a user's file or request would reach it,
/// then uses what loaded (decides with a policy, scores with a model) so that a value which loads
/// but breaks later is found too. Errors are the expected outcome for most inputs and are ignored.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case edges, csv, clicklog, criteo, safetensors, policy
    case conversionModel = "conversion-model"
    case relatedModel = "related-model"
    case decideBody = "decide-body"
    case relatedQuery = "related-query"

    public func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        switch self {
        case .edges:
            guard let file = try? TextFile(path: "fuzz.tsv", bytes: bytes) else { return }
            if let (graph, _) = try? EdgeListLoader().load(file), let first = graph.nodeNames.first {
                _ = graph.id(of: first)
            }
        case .csv:
            guard let file = try? TextFile(path: "fuzz.csv", bytes: bytes), let table = try? CSVTableLoader().load(file),
                  let name = table.columnNames.first else { return }
            _ = try? table.binaryLabels(column: name, positive: "1")
        case .clicklog:
            guard let file = try? TextFile(path: "fuzz.csv", bytes: bytes), let table = try? ClickLog.loadTable(file, format: .vane) else { return }
            _ = try? ClickLog.fromTable(table, hashBuckets: 64)
        case .criteo:
            guard let file = try? TextFile(path: "data.txt", bytes: bytes), let table = try? ClickLog.loadTable(file, format: .criteo) else { return }
            _ = try? ClickLog.fromTable(table, hashBuckets: 64, timeScale: 1.0 / 3600)
        case .safetensors:
            _ = try? SafeTensors.decode(data, file: "fuzz.safetensors")
        case .policy:
            guard let policy = try? ThresholdPolicy.decode(data, file: "policy.json") else { return }
            for (score, uncertainty) in [(0.0, 0.0), (0.5, -1e300), (1.0, 1e300), (0.3, .nan), (.nan, 0.2)] {
                _ = policy.decide(score: score, uncertainty: uncertainty)
                _ = policy.recalibratedScore(score: score, uncertainty: uncertainty)
            }
        case .conversionModel:
            guard let model = try? ConversionModel.decode(metadata: data, tensors: Fixtures.shared.conversionTensors,
                                                          metadataFile: "conversion.json", tensorsFile: "conversion.safetensors") else { return }
            for record in Fixtures.records { _ = try? model.predict(record: record, source: "record") }
        case .relatedModel:
            guard let model = try? RelatedItemModel.decode(metadata: data, embeddings: Fixtures.shared.relatedEmbeddings,
                                                           metadataFile: "model.json", embeddingsFile: "embeddings.safetensors") else { return }
            for name in model.graph.nodeNames.prefix(3) { _ = try? model.recommend(for: name, count: 2) }
        case .decideBody:
            _ = try? ServingRoutes.decideResponse(body: data, models: Fixtures.shared.models, configuration: ServingConfiguration())
        case .relatedQuery:
            let target = "/v1/related/" + String(decoding: bytes, as: UTF8.self)
            _ = try? ServingRoutes.relatedResponse(target: target, models: Fixtures.shared.models, configuration: ServingConfiguration())
        }
    }
}

/// Small valid models the model and request targets load against, built once.
struct Fixtures: Sendable {
    static let shared = Fixtures()
    static let records: [[String: FeatureValue]] = [
        ["price": .number(12), "device": .text("mobile")], ["price": .number(-1e300)], ["device": .number(3)], [:],
    ]

    let conversionTensors: Data
    let relatedEmbeddings: Data
    let models: ServingModels

    init() {
        // Conversion model: price (numeric) and device (categorical), 16 hash buckets: 2 + 16 columns.
        let table = try! CSVTableLoader().load(TextFile(path: "f.csv", text: "price,device\n10,mobile\n20,desktop\n"))
        let encoder = TableFeatureEncoder(table: table, excluding: [], rows: [0, 1], hashBuckets: 16)
        let d = encoder.columnCount
        let conversion = ConversionModel(method: .fnw, encoder: encoder,
                                         model: FittedLogisticRegression(coefficients: [Float](repeating: 0.25, count: d), bias: -1, l2: 1e-4),
                                         coefficientPrecisions: [Double](repeating: 2, count: d), biasPrecision: 2)
        conversionTensors = try! SafeTensors.encode([
            "coefficients": .float32(Matrix(rows: d, columns: 1, values: [Float](repeating: 0.25, count: d))),
            "bias": .float32(Matrix(rows: 1, columns: 1, values: [-1])),
            "precisions": .float32(Matrix(rows: d + 1, columns: 1, values: [Float](repeating: 2, count: d + 1))),
        ])
        // Related model: items a, b, c, width 2.
        let graph = DirectedGraph(nodeNames: ["a", "b", "c"], edges: [.init(source: 0, target: 1)])
        let source = Matrix([[1, 0], [0, 1], [1, 1]]), target = Matrix([[0.5, 0], [0, 2], [1, 1]])
        relatedEmbeddings = try! SafeTensors.encode([
            "source_embeddings": .float32(source), "target_embeddings": .float32(target), "edges": .int32([0, 1], shape: [1, 2]),
        ])
        let related = RelatedItemModel(method: "vane", graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
        var scores: [Double] = [], uncertainties: [Double] = [], labels: [Bool] = []
        for i in 0..<400 {
            let score = Double(i % 20) / 20, uncertainty = Double(i % 7) / 7
            scores.append(score); uncertainties.append(uncertainty); labels.append((i * 7919) % 100 < Int(100 * score * (1 - 0.5 * uncertainty)))
        }
        let policy = try! ThresholdPolicyFitter(targetPrecision: 0.6).fit(.mist, on: ScoredExamples(scores: scores, uncertainties: uncertainties, labels: labels))
        models = ServingModels(related: related, conversion: conversion, policy: policy, version: 1)
    }
}

extension FuzzTarget {
    /// Small valid inputs the fuzzer starts from (mutating a valid file reaches deeper code than
    /// random bytes do).
    public var seeds: [[UInt8]] {
        let fixtures = Fixtures.shared
        switch self {
        case .edges: return [Array("# source\ttarget\na\tb\nb\tc\tdepends\nc\ta\n".utf8), Array("x,y\ny,z\n".utf8)]
        case .csv: return [Array("x,colour,label\n1.5,red,1\n,blue,0\n2e3,?,1\n".utf8)]
        case .clicklog:
            return [Array("click_time,conversion_time,cart_time,view_times,device\n0,0.5,0.2,0.1;0.3,m\n1.5,,,,d\n2,30,,4.5,m\n".utf8)]
        case .criteo:
            let row = { (click: String, conversion: String) in
                ([click, conversion] + (1...8).map { String($0) } + (1...9).map { "c\($0)" }).joined(separator: "\t")
            }
            return [Array([row("3600", "7200"), row("7200", ""), row("10800", "")].joined(separator: "\n").utf8)]
        case .safetensors: return [Array(fixtures.conversionTensors), Array(fixtures.relatedEmbeddings)]
        case .policy: return [Array((try? fixtures.models.policy!.jsonData()) ?? Data())]
        case .conversionModel: return [Fixtures.savedFile(named: "conversion.json") { try fixtures.models.conversion!.save(to: $0) }]
        case .relatedModel: return [Fixtures.savedFile(named: "model.json") { try fixtures.models.related!.save(to: $0) }]
        case .decideBody:
            return [Array(#"{"rows": [{"features": {"price": 30, "device": "mobile"}}, {"features": {"device": null}}]}"#.utf8)]
        case .relatedQuery: return [Array("a?k=2&exclude=b".utf8), Array("c".utf8)]
        }
    }
}

extension Fixtures {
    /// Saves a model into a temporary directory and returns the bytes of one of its files.
    static func savedFile(named name: String, _ save: (String) throws -> Void) -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-fuzz-seed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try? save(directory)
        return (try? Array(Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))) ?? []
    }
}
