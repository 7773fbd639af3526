import ArgumentParser
import Foundation
import Testing
import VaneConversions
@testable import vane

/// The command line names the flag the user typed in every error, and refuses bad values before any work.
@Suite("Command line")
struct CommandLineTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return Vane.message(for: error) }
        return ""
    }

    @Test func optionErrorsNameFlagsNotFields() throws {
        let cases: [([String], String)] = [
            (["--epochs", "0"], "--epochs"), (["--fan-out", "0"], "--fan-out"), (["--negatives", "5000"], "--negatives"),
            (["--learning-rate", "-1"], "--learning-rate"), (["--dimension", "1"], "--dimension"), (["--degree-exponent", "9"], "--degree-exponent"),
        ]
        for (arguments, flag) in cases {
            let command = try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o"] + arguments)
            let text = message { _ = try command.model.configuration() }
            #expect(text.contains(flag), "\(arguments): \(text)")
            #expect(!text.contains("maximumEpochs") && !text.contains("uniformFanOut"), "\(text)")
        }
    }

    @Test func tuneBudgetOutsideTheGridNamesTheFlag() throws {
        for budget in ["0", "-3", "19"] {
            let command = try GraphEvaluateCommand.parse(["--edges", "e.tsv", "--tune", budget])
            let text = message { _ = try command.tuning.search() }
            #expect(text.contains("--tune") && text.contains("1...18"), "\(budget): \(text)")
        }
        #expect(try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o", "--tune", "1"]).tuning.search().budget == 1)
    }

    @Test func thresholdOptionsAreTypedAndRefusedAtParseTime() throws {
        let required = ["--data", "d.csv", "--label", "y", "--positive", "1"]
        let command = try ThresholdsEvaluateCommand.parse(required + ["--estimator", "laplace", "--split", "time:click_time", "--precision", "0.6, 0.7",
                                                                      "--uncertainty-bins", "4", "--format", "criteo", "--posterior-uncertainty", "evidence"])
        #expect(command.estimator == .fixed(.laplace))
        #expect(command.split.split == .time(column: "click_time"))
        #expect(command.precision.values == [0.6, 0.7])
        #expect(command.uncertaintyBins.count == 4 && command.scoreBins.count == nil)
        #expect(command.format == .criteo && command.posteriorUncertainty == .evidence)
        #expect(try ThresholdsEvaluateCommand.parse(required).estimator == .auto)
        for (flag, value) in [("--estimator", "boosted"), ("--split", "time:"), ("--split", "latest"), ("--precision", "0.5,x"), ("--precision", "1.5"),
                              ("--uncertainty-bins", "0"), ("--score-bins", "many"), ("--format", "tsv"), ("--posterior-uncertainty", "mode")] {
            let text = message { _ = try ThresholdsEvaluateCommand.parse(required + [flag, value]) }
            #expect(text.contains(flag) && text.contains(value), "\(flag) \(value): \(text)")
        }
        #expect(try ThresholdsFitCommand.parse(["--scores", "s.csv", "--precision", "0.9", "--out", "p.json", "--policy", "ew-dpmt"]).policy == .ewDPMT)
        #expect(message { _ = try ThresholdsFitCommand.parse(["--scores", "s.csv", "--precision", "0.9", "--out", "p.json", "--policy", "best"]) }.contains("--policy"))
        #expect(message { _ = try ServeCommand.parse(["--related", "m", "--log-level", "loud"]) }.contains("--log-level"))
    }

    @Test func riskControlOptionsNameTheirFlags() throws {
        let bad = try ThresholdsEvaluateCommand.parse(["--data", "d.csv", "--label", "y", "--positive", "1", "--risk-control", "ltt", "--delta", "0.7"])
        #expect(message { _ = try bad.risk.learnThenTest() }.contains("--delta"))
        let fraction = try ThresholdsEvaluateCommand.parse(["--data", "d.csv", "--label", "y", "--positive", "1", "--risk-control", "ltt", "--calibration-fraction", "1"])
        #expect(message { _ = try fraction.risk.learnThenTest() }.contains("--calibration-fraction"))
        let both = try ThresholdsEvaluateCommand.parse(["--data", "/nonexistent.csv", "--label", "y", "--positive", "1", "--risk-control", "ltt", "--confidence", "0.9"])
        #expect(message { try both.run() }.contains("--confidence"))
        #expect(throws: (any Error).self) { _ = try ThresholdsFitCommand.parse(["--scores", "s.csv", "--precision", "0.8", "--out", "p.json", "--risk-control", "always"]) }
        // Learn then Test is the default, unless a Wilson bound is asked for or none is named.
        #expect(try ThresholdsFitCommand.parse(["--scores", "s.csv", "--precision", "0.8", "--out", "p.json"]).risk.learnThenTest() != nil)
        #expect(try ThresholdsFitCommand.parse(["--scores", "s.csv", "--precision", "0.8", "--out", "p.json"]).risk.learnThenTest(confidenceGiven: true) == nil)
        #expect(try ThresholdsFitCommand.parse(["--scores", "s.csv", "--precision", "0.8", "--out", "p.json", "--risk-control", "none"]).risk.learnThenTest() == nil)
    }

    @Test func indexOptionsAndCommandNameTheirFlags() throws {
        #expect(message { _ = try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o", "--index-count", "-1"]) }.contains("--index-count"))
        #expect(message { _ = try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o", "--index-count", "20000"]) }.contains("--index-count"))
        #expect(try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o", "--index-count", "0"]).index.indexCount == 0)
        #expect(message { _ = try GraphIndexCommand.parse(["--model", "m", "--index-count", "0"]) }.contains("--index-count"))
        let missing = try GraphIndexCommand.parse(["--model", "/nonexistent/model"])
        let text = message { try missing.run() }
        #expect(text.contains("--model") && text.contains("/nonexistent/model"), "\(text)")
        #expect(message { _ = try ServeCommand.parse(["--related", "m", "--scan-batch", "0"]) }.contains("--scan-batch"))
    }

    @Test func negativeNumbersAreValuesNotMissingOnes() throws {
        let command = try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o", "--epochs", "-1"])
        #expect(command.model.epochs == -1)
        #expect(message { _ = try command.model.configuration() }.contains("--epochs"))
    }

    @Test func namedEpochsAreTheCapWhateverTheGraphsSize() throws {
        let automatic = try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o"]).model.configuration()
        #expect(automatic.maximumEpochs == 30 && automatic.epochCap(trainingEdges: 1_000_000) == 10)
        let named = try GraphTrainCommand.parse(["--edges", "e.tsv", "--out", "o", "--epochs", "50"]).model.configuration()
        #expect(named.edgeVisitBudget == nil && named.epochCap(trainingEdges: 1_000_000) == 50)
    }

    @Test func emptyMethodListsAreRefused() throws {
        #expect(message { _ = try ConversionsEvaluateCommand.parse(["--events", "/nonexistent.csv", "--methods", ""]) }.contains("--methods"))
        #expect(message { _ = try ConversionsEvaluateCommand.parse(["--log", "l.csv", "--methods", "vanilla,nope"]) }.contains("--methods"))
        let graph = try GraphEvaluateCommand.parse(["--edges", "/nonexistent.tsv", "--methods", ","])
        #expect(message { try graph.run() }.contains("--methods"))
    }

    @Test func conversionOptionsAreTypedAndNameTheirFlags() throws {
        let command = try ConversionsEvaluateCommand.parse(["--scenario", "weak-engagement", "--seeds", "1,2", "--engagement-revisions", "none",
                                                            "--methods", "vanilla,engagement"])
        #expect(command.scenario == .weakEngagement && command.seeds?.values == [1, 2])
        #expect(command.replayOptions.engagementRevisions == EngagementRevisions.none && command.methods.methods == [.vanilla, .engagement])
        // --events is the older spelling of --log.
        #expect(try ConversionsEvaluateCommand.parse(["--events", "a.csv"]).input.log == "a.csv")
        // Exactly one source of clicks.
        #expect(message { _ = try ConversionsEvaluateCommand.parse([]) }.contains("--log or --scenario"))
        #expect(message { _ = try ConversionsEvaluateCommand.parse(["--log", "a.csv", "--scenario", "slow"]) }.contains("--log or --scenario"))
        #expect(message { _ = try ConversionsEvaluateCommand.parse(["--scenario", "sideways"]) }.contains("--scenario"))
        for (arguments, flag) in [(["--refresh-hours", "0.5"], "--refresh-hours"), (["--window", "nan"], "--window"),
                                  (["--passes-per-step", "0"], "--passes-per-step"), (["--positive-weight", "0"], "--positive-weight"),
                                  (["--late-copy-weight", "1.5"], "--late-copy-weight")] {
            let parsed = try ConversionsEvaluateCommand.parse(["--scenario", "slow"] + arguments)
            #expect(message { _ = try parsed.replayOptions.replay() }.contains(flag), "\(arguments)")
        }
        let simulate = try ConversionsSimulateCommand.parse(["--out", "o.csv", "--scenario", "drift", "--clicks", "10"])
        #expect(message { try simulate.run() }.contains("--clicks"))
    }

    @Test func seedListsAndRelationsAreTyped() throws {
        let command = try GraphEvaluateCommand.parse(["--edges", "e.tsv", "--seeds", "1, 2,3", "--relations", "also_bought,bought_together"])
        #expect(command.seeds?.values == [1, 2, 3])
        #expect(command.input.relations?.names == ["also_bought", "bought_together"])
        for bad in ["1,x", "", "2,2"] {
            #expect(throws: (any Error).self) { _ = try GraphEvaluateCommand.parse(["--edges", "e.tsv", "--seeds", bad]) }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vane-relations-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("a\tb\tdepends\nb\tc\tsuggests\n".utf8).write(to: file)
        let unknown = try GraphStatsCommand.parse(["--edges", file.path, "--relations", "dependz"])
        let text = message { try unknown.run() }
        #expect(text.contains("--relations") && text.contains("dependz") && text.contains("depends, suggests"), "\(text)")
    }

    @Test func unwritableOutputsNameTheFlag() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vane-cli-\(UUID().uuidString)").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        // A directory wanted where a file exists, and a file wanted in a folder that does not exist.
        #expect(message { try OutputLocation.directory(file, option: "--out") }.contains("--out \(file): exists and is a file"))
        #expect(message { try OutputLocation.file(file + "/sub/policy.json", option: "--out") }.contains("does not exist"))
        #expect(message { try OutputLocation.directory(file + "/sub", option: "--out") }.contains("cannot create"))
    }
}
