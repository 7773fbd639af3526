import Foundation
import Testing
import VaneIO
import VaneTabular
@testable import VaneConversions

@Suite("Conversion model files")
struct ConversionModelTests {
    @Test func trainSaveLoadAndPredict() throws {
        var configuration = ConversionSimulator.Configuration()
        configuration.clicks = 20_000
        configuration.days = 10
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-conv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + ".csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ConversionSimulator(configuration: configuration).write(to: path, seed: 5)
        let log = try ClickLog.load(path: path, format: .vane, hashBuckets: 1 << 12)
        let model = try StreamReplay().train(log, method: .esdfm, seed: 2)
        try model.save(to: directory)
        let loaded = try ConversionModel.load(from: directory)
        #expect(loaded.model == model.model && loaded.method == .esdfm && loaded.encoder == model.encoder)

        // A record scores as the log's encoded row does.
        let table = try CSVTableLoader().load(path: path)
        var record: [String: FeatureValue] = [:]
        for name in model.encoder.featureColumns {
            switch table.columns[try table.columnIndex(named: name)] {
            case .numeric(let values): record[name] = values[0].isNaN ? .missing : .number(values[0])
            case .categorical(let codes, let levels): record[name] = .text(levels[Int(codes[0])])
            }
        }
        let prediction = try loaded.predict(record: record, source: "request")
        #expect(abs(prediction.probability - Double(model.model.probability(log.features, row: 0))) < 1e-5)
        #expect(prediction.uncertainty > 0)

        // An unseen item id is more uncertain than a frequent one.
        var unseen = record
        unseen["item"] = .text("never-seen-item")
        #expect(try loaded.predict(record: unseen, source: "request").uncertainty > prediction.uncertainty)
    }

    @Test func brokenModelDirectoriesNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-conv-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect { _ = try ConversionModel.load(from: directory) } throws: {
            ($0 as? ConversionError)?.code == .modelFile && ($0 as? ConversionError)?.message.contains("conversion.json") == true
        }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/conversion.json"))
        #expect { _ = try ConversionModel.load(from: directory) } throws: { ($0 as? ConversionError)?.code == .modelFile }
    }
}
