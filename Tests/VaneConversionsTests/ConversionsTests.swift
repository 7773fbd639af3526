import Foundation
import Testing
import VaneIO
import VaneTabular
import VaneTensor
@testable import VaneConversions

@Suite("Delayed feedback")
struct ConversionsTests {
    @Test func weightFormulasHandValues() {
        let fnw = DelayedFeedbackMethod.fnwWeights(prediction: 0.2)
        #expect(abs(fnw.positive - 1.2) < 1e-6 && abs(fnw.negative - 0.96) < 1e-6)  // (1 - 0.2)(1 + 0.2)
        let esdfm = DelayedFeedbackMethod.esdfmWeights(delayedPositive: 0.1, realNegative: 0.7)
        #expect(abs(esdfm.positive - 1.1) < 1e-6 && abs(esdfm.negative - 0.77) < 1e-6)
        #expect(abs(DelayedFeedbackMethod.fncCalibrated(0.2) - 0.25) < 1e-6)
        #expect(DelayedFeedbackMethod.fncCalibrated(0.9) < 1)  // p / (1 - p) = 9, kept below 1
        #expect(DelayedFeedbackMethod.engagementSoftLabel(flipProbability: 2) < 1)
        let fsiw = DelayedFeedbackMethod.fsiwWeights(delayGivenConversion: 0.2, realNegative: 0.7)
        #expect(abs(fsiw.positive - 1.25) < 1e-6 && abs(fsiw.negative - 0.7) < 1e-6)  // 1 / (1 - 0.2)
        let deferred = DelayedFeedbackMethod.deferWeights(prediction: 0.3, delayedPositive: 0.2)
        #expect(abs(deferred.positive - 1.5) < 1e-5 && abs(deferred.negative - 0.875) < 1e-5)  // 0.3 / 0.2, 0.7 / 0.8
        let defuse = DelayedFeedbackMethod.defuseWeights(delayedPositive: 0.1, realNegative: 0.6)
        #expect(abs(defuse.immediatePositive - 1.1) < 1e-6 && defuse.latePositive == 1)
        #expect(abs(defuse.fakeNegative - 0.04) < 1e-6 && abs(defuse.realNegative - 0.66) < 1e-6)  // 0.4 x 0.1, 0.6 x 1.1
        // Guards: extreme inputs stay finite and within [0, maximumWeight].
        let extreme = DelayedFeedbackMethod.esdfmWeights(delayedPositive: .infinity, realNegative: -3)
        #expect(extreme.positive <= DelayedFeedbackMethod.maximumWeight && extreme.negative >= 0)
    }

    @Test func fnwEqualsESDFMWithZeroWindowAndExactAuxiliaries() {
        // With a zero window every conversion is "delayed": f_dp = p and f_rn = 1 - p give FNW's weights.
        for p in stride(from: Float(0.05), through: 0.95, by: 0.1) {
            let fnw = DelayedFeedbackMethod.fnwWeights(prediction: p)
            let esdfm = DelayedFeedbackMethod.esdfmWeights(delayedPositive: p, realNegative: 1 - p)
            #expect(abs(fnw.positive - esdfm.positive) < 1e-6 && abs(fnw.negative - esdfm.negative) < 1e-6)
        }
    }

    /// A hand-made log: click 0 converts after 0.5 h, click 1 after 30 h, click 2 never.
    func handLog() throws -> ClickLog {
        let text = "click_time,conversion_time,cart_time,view_times,item\n0.2,0.7,,0.3,a\n0.4,30.4,5,0.5;2;7,b\n1.5,,,,a\n" +
            (0..<100).map { "\(2 + Double($0) * 0.5),,,,c" }.joined(separator: "\n")
        return try ClickLog.fromTable(CSVTableLoader().load(TextFile(path: "log.csv", text: text)), hashBuckets: 64)
    }

    @Test func streamNeverLeaksALabelBeforeItsTime() throws {
        let log = try handLog()
        let streams = ReplayStreams(log: log, start: 0, stepHours: 1, windowHours: 1, attributionHours: 24 * 14)
        let none = AuxiliaryProbabilities.constant(count: log.count, steps: streams.stepCount, delayedPositive: 0.5, realNegative: 0.5, delayGivenConversion: 0.5, flip: 0.5)
        for s in 0..<streams.stepCount {
            let stepEnd = Double(s + 1)
            for method in DelayedFeedbackMethod.allCases where method != .oracle {
                let (rows, labels, _) = streams.trainingSamples(method, step: s, auxiliary: none) { _ in 0.5 }
                for (k, (row, label)) in zip(rows, labels).enumerated() where label == 1 {
                    // A positive label is only ever given once the conversion has happened, except
                    // DEFUSE's fake-negative part of an observed negative, which comes with its
                    // real-negative part right after it.
                    if method == .defuse && !(log.conversionTimes[row] <= stepEnd) {
                        #expect(k + 1 < rows.count && rows[k + 1] == row && labels[k + 1] == 0)
                        continue
                    }
                    #expect(log.conversionTimes[row] <= stepEnd, "\(method) leaked row \(row) in step \(s)")
                }
                for row in rows where [.vanilla, .fsiw, .esdfm, .defer, .defuse, .engagement].contains(method) {
                    #expect(log.clickTimes[row] + 1 <= stepEnd || log.conversionTimes[row] <= stepEnd)
                }
            }
        }
        // Click 1 (converts at 30.4 h) enters vanilla as a negative at 1.4 h and ES-DFM again as a positive at 30.4 h.
        let atWindow = streams.trainingSamples(.vanilla, step: 1, auxiliary: none) { _ in 0.5 }
        #expect(zip(atWindow.rows, atWindow.labels).contains { $0 == 1 && $1 == 0 })
        let late = streams.trainingSamples(.esdfm, step: 30, auxiliary: none) { _ in 0.5 }
        #expect(zip(late.rows, late.labels).contains { $0 == 1 && $1 == 1 })
    }

    /// The toy stream of `ToyStream` (seed 11), as a tuple.
    func toyStream() throws -> (log: ClickLog, streams: ReplayStreams, truth: AuxiliaryProbabilities, rate: Double) {
        let toy = try ToyStream(seed: 11)
        return (toy.log, toy.streams, toy.truth, toy.rate)
    }

    @Test(arguments: [DelayedFeedbackMethod.oracle, .fnw, .fsiw, .esdfm, .defer, .defuse, .engagement])
    func weightedOptimumRecoversTheTrueRate(method: DelayedFeedbackMethod) throws {
        // With exact auxiliary probabilities (and, for FNW and DEFER, the model at the true rate), the
        // optimum of the weighted BCE for a constant model, sum(w y) / sum(w), is the true rate.
        let (_, streams, truth, rate) = try toyStream()
        var positive = 0.0, total = 0.0
        for s in 0..<streams.stepCount {
            let (rows, labels, weights) = streams.trainingSamples(method, step: s, auxiliary: truth) { _ in 0.3 }
            for k in rows.indices where rows[k] < 20_000 {
                positive += Double(weights[k] * labels[k])
                total += Double(weights[k])
            }
        }
        #expect(abs(positive / total - rate) < 0.01, "\(method): \(positive / total) vs \(rate)")
        // Vanilla is biased low by the late conversions it never sees.
        if method == .oracle {
            var vanilla = 0.0, count = 0.0
            for s in 0..<streams.stepCount {
                let samples = streams.trainingSamples(.vanilla, step: s, auxiliary: truth) { _ in 0.3 }
                vanilla += Double(samples.labels.reduce(0, +)); count += Double(samples.rows.count)
            }
            #expect(vanilla / count < rate - 0.1)
        }
    }

    @Test func deferIngestsEveryMaturedClickTwice() throws {
        let (_, streams, truth, _) = try toyStream()
        var seen = [Int](repeating: 0, count: 20_001)
        for s in 0..<streams.stepCount {
            for row in streams.trainingSamples(.defer, step: s, auxiliary: truth, prediction: { _ in 0.3 }).rows { seen[row] += 1 }
        }
        #expect(seen[..<20_000].allSatisfy { $0 == 2 })
    }

    @Test func criteoFormatParsesEmptyConversion() throws {
        let row = { (click: String, conversion: String) in
            ([click, conversion] + (1...8).map { String($0) } + (1...9).map { "c\($0)" }).joined(separator: "\t")
        }
        let text = [row("3600", "7200"), row("7200", ""), row("10800", "")].joined(separator: "\n")
        let table = try ClickLog.criteoTable(TextFile(path: "data.txt", text: text))
        let log = try ClickLog.fromTable(table, hashBuckets: 64, timeScale: 1.0 / 3600)
        #expect(log.count == 3)
        #expect(log.clickTimes == [1, 2, 3])
        #expect(log.conversionTimes[0] == 2 && log.conversionTimes[1].isNaN)
        // The eventual-conversion label of the decision experiments: "any conversion time".
        #expect(try table.binaryLabels(column: "conversion_time", positive: Table.anyValue) == [true, false, false])
    }

    @Test func badRowsNamedWithLineNumbers() {
        let good = (["1", ""] + (1...8).map { String($0) } + (1...9).map { "c\($0)" }).joined(separator: "\t")
        #expect {
            _ = try ClickLog.criteoTable(TextFile(path: "data.txt", text: good + "\n1\t2\t3\n"))
        } throws: { ($0 as? InputError)?.line == 2 }
        #expect {
            _ = try ClickLog.criteoTable(TextFile(path: "data.txt", text: good.replacingOccurrences(of: "1\t\t", with: "5\t2\t") + "\n"))
        } throws: { ($0 as? InputError)?.line == 1 }
        #expect {
            _ = try ClickLog.fromTable(CSVTableLoader().load(TextFile(path: "log.csv", text: "click_time,conversion_time,x\n5,4,a\n")))
        } throws: { ($0 as? InputError)?.line == 2 }
        #expect {
            _ = try ClickLog.fromTable(CSVTableLoader().load(TextFile(path: "log.csv", text: "time,x\n5,a\n")))
        } throws: { ($0 as? InputError)?.code == .missingColumn }
    }

    @Test func simulatorRejectsBadDelayParameters() {
        for change in [{ (c: inout ConversionSimulator.Configuration) in c.fastShare = 1.5 },
                       { (c: inout ConversionSimulator.Configuration) in c.slowMedianHours = 0 },
                       { (c: inout ConversionSimulator.Configuration) in c.slowSigma = .nan },
                       { (c: inout ConversionSimulator.Configuration) in c.attributionWindowHours = -1 }] {
            var configuration = ConversionSimulator.Configuration()
            change(&configuration)
            #expect { try configuration.validate() } throws: { ($0 as? ConversionError)?.code == .invalidConfiguration }
        }
        var slow = ConversionSimulator.Configuration()
        slow.fastShare = 0
        slow.slowMedianHours = 96
        #expect(throws: Never.self) { try slow.validate() }
    }

    @Test func replayOrdersMethodsOnTheSimulator() throws {
        var configuration = ConversionSimulator.Configuration()
        configuration.clicks = 60_000
        configuration.days = 20
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-sim-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (clicks, conversions) = try ConversionSimulator(configuration: configuration).write(to: path, seed: 3)
        #expect(clicks == 60_000)
        #expect(abs(Double(conversions) / Double(clicks) - 0.225) < 0.03)
        let log = try ClickLog.load(path: path, format: .vane)
        let result = try StreamReplay().run(log, methods: [.vanilla, .oracle, .esdfm, .engagement], seed: 1)
        let vanilla = try #require(result.methods[.vanilla]), oracle = try #require(result.methods[.oracle])
        #expect(oracle.nll < vanilla.nll)
        #expect(try #require(result.methods[.esdfm]).nll < vanilla.nll)
        #expect(try #require(result.methods[.engagement]).nll < vanilla.nll)
        // Same seed, same numbers.
        let again = try StreamReplay().run(log, methods: [.vanilla], seed: 1)
        #expect(again.methods[.vanilla]?.auc == vanilla.auc)

        // The small MLP through the same streams: the same order, and seeded too.
        var mlpConfiguration = StreamReplay.Configuration()
        mlpConfiguration.classifier = .mlp
        let mlp = try StreamReplay(configuration: mlpConfiguration)
        let network = try mlp.run(log, methods: [.vanilla, .oracle, .esdfm], seed: 1)
        let mlpVanilla = try #require(network.methods[.vanilla])
        #expect(try #require(network.methods[.oracle]).nll < mlpVanilla.nll)
        #expect(try #require(network.methods[.esdfm]).nll < mlpVanilla.nll)
        #expect(mlpVanilla.auc > 0.65)
        #expect(try mlp.run(log, methods: [.vanilla], seed: 1).methods[.vanilla]?.nll == mlpVanilla.nll)
        // A servable model stays logistic (its uncertainty is the Laplace posterior).
        #expect { try mlp.train(log, method: .esdfm, seed: 1) } throws: { ($0 as? ConversionError)?.code == .invalidConfiguration }

        // Two passes per step: more updates from the same samples, so different (still seeded) numbers.
        var twice = StreamReplay.Configuration()
        twice.passesPerStep = 2
        let doubled = try StreamReplay(configuration: twice).run(log, methods: [.vanilla], seed: 1)
        #expect(try #require(doubled.methods[.vanilla]).nll != vanilla.nll)
        for passes in [0, 11] {
            var bad = StreamReplay.Configuration()
            bad.passesPerStep = passes
            #expect { try StreamReplay(configuration: bad) } throws: { ($0 as? ConversionError)?.code == .invalidConfiguration }
        }

        // Positives weighted 3x: the same samples pull the model's probabilities up (class
        // re-weighting biases calibration upward), so its mean prediction over the log rises.
        var tripled = StreamReplay.Configuration()
        tripled.positiveWeight = 3
        let plain = try StreamReplay(), weighted = try StreamReplay(configuration: tripled)
        let (_, plainModel) = plain.replay(.oracle, try plain.prepare(log, seed: 1))
        let (_, weightedModel) = weighted.replay(.oracle, try weighted.prepare(log, seed: 1))
        let meanPrediction = { (model: any OnlineClassifier) -> Float in
            (0..<log.count).reduce(0) { $0 + model.probability(log.features, row: $1) } / Float(log.count)
        }
        #expect(meanPrediction(weightedModel) > meanPrediction(plainModel) + 0.05)
        for factor: Float in [0, -1, .nan, 101] {
            var bad = StreamReplay.Configuration()
            bad.positiveWeight = factor
            #expect { try StreamReplay(configuration: bad) } throws: { ($0 as? ConversionError)?.code == .invalidConfiguration }
        }
    }
}
