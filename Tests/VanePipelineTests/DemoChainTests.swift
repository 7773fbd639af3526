import Foundation
import Testing
import VaneConversions
import VaneDecisions
import VanePipeline
import VaneRelated

@Suite("The demo chain")
struct DemoChainTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: data + "/cora-ml.edges.tsv"), "needs ../shared/data"))
    func quickDemoWritesAReportAndLoadableModels() throws {
        let data = Self.data
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vane-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var configuration = DemoChain.Configuration()
        configuration.quick = true
        configuration.dataDirectory = data
        configuration.outputDirectory = out
        configuration.maximumEpochs = 2  // debug builds are slow; the chain, not the model quality, is under test
        var stages: [String] = []
        let outcome = try DemoChain(configuration: configuration).run { stages.append($0) }
        #expect(stages.count == 4)
        let html = DemoReport.html(outcome, totalSeconds: 1)
        for section in ["1. Related items", "2. Conversions", "3. Decisions", "4. End to end", "<svg"] {
            #expect(html.contains(section), "report lacks \(section)")
        }
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1,
                "the report must not load anything from the network")
        let model = try RelatedItemModel.load(from: outcome.modelDirectory)
        #expect(model.itemCount == outcome.graphNodes)
        let policy = try ThresholdPolicy.load(path: outcome.policyPath)
        #expect(policy.kind == .mist)
        // The served conversion model scores a request built from the click columns.
        let conversion = try ConversionModel.load(from: outcome.conversionModelDirectory)
        let item = try #require(outcome.examples.first)
        let prediction = try conversion.predict(record: ["source": .text(item.item), "target": .text(item.recommendations[0].item),
                                                         "recommender_score": .number(Double(item.recommendations[0].score))], source: "request")
        #expect(prediction.probability > 0 && prediction.probability < 1 && prediction.uncertainty > 0)
        #expect(outcome.replay?.methods.count == 4)
    }
}
