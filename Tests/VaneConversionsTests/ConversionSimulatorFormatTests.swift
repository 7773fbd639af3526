import Foundation
import Testing
@testable import VaneConversions

@Suite("Simulated logs in both formats")
struct ConversionSimulatorFormatTests {
    @Test func criteoFormatCarriesTheSameClicksAndConversionsWithoutEngagement() throws {
        let simulator = try ConversionSimulator(configuration: ConversionSimulator.Scenario.slow.configuration(clicks: 3_000, days: 10))
        let folder = FileManager.default.temporaryDirectory
        let vanePath = folder.appendingPathComponent("vane-format-\(UUID().uuidString).csv").path
        let criteoPath = folder.appendingPathComponent("vane-format-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: vanePath); try? FileManager.default.removeItem(atPath: criteoPath) }
        let written = try simulator.write(to: vanePath, seed: 4)
        #expect(try simulator.write(to: criteoPath, seed: 4, format: .criteo) == written)
        let vane = try ClickLog.load(path: vanePath, format: .vane)
        let criteo = try ClickLog.load(path: criteoPath, format: .criteo)
        #expect(vane.count == criteo.count && vane.engagement.count > 0 && criteo.engagement.count == 0)
        for i in 0..<vane.count {
            // Whole seconds in the Criteo file.
            #expect(abs(vane.clickTimes[i] - criteo.clickTimes[i]) < 1.0 / 3600 + 1e-4)  // whole seconds there, 4 decimals of an hour here
            #expect(vane.conversionTimes[i].isNaN == criteo.conversionTimes[i].isNaN)
        }
        // The replay runs on it: the engagement method without engagement falls back on features and waiting time.
        var configuration = StreamReplay.Configuration()
        configuration.pretrainFraction = 0.5
        let result = try StreamReplay(configuration: configuration).run(criteo, methods: [.vanilla, .engagement], seed: 1)
        #expect(result.methods[.engagement].map { $0.nll.isFinite && $0.auc > 0.5 } == true)
    }
}
