import ArgumentParser
import Foundation
import VaneConversions

/// `vane conversions ...`: conversion models under delayed feedback.
struct ConversionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversions",
        abstract: "Conversion models trained under delayed feedback: simulate logs, replay them through time, train one to serve.",
        subcommands: [ConversionsSimulateCommand.self, ConversionsEvaluateCommand.self, ConversionsTrainCommand.self]
    )
}

struct ConversionsSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated click log with engagement and delayed conversions (Vane CSV format).",
        discussion: """
        The generative story (features, conversion propensity, delay mixture with a long tail, cart adds
        and views that truly predict conversion, daily seasonality) is documented on ConversionSimulator.
        Columns: click_id, click_time, conversion_time (empty if none), cart_time (empty if none), views,
        advertiser, item, segment, device, price, recency; times in hours from the start.

        Example:
          vane conversions simulate --out clicks.csv --clicks 1000000 --days 60 --seed 1
          vane conversions simulate --out slow.csv --fast-share 0.1 --slow-median-hours 96   # longer delays
        """
    )

    @Option(help: "Output CSV.")
    var out: String

    @Option(help: "Number of clicks.")
    var clicks = 1_000_000

    @Option(help: "Days the clicks span.")
    var days = 60

    @Option(help: "Share of conversions in the fast delay component (exponential, mean 0.5 h); the rest follow the long log-normal tail.")
    var fastShare = ConversionSimulator.Configuration().fastShare

    @Option(help: "Median delay in hours of the long-tail component (log-normal, sigma 1.3). Longer delays leave more conversions unseen when a model trains.")
    var slowMedianHours = ConversionSimulator.Configuration().slowMedianHours

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        try OutputLocation.file(out, option: "--out")
        var configuration = ConversionSimulator.Configuration()
        configuration.clicks = clicks
        configuration.days = days
        configuration.fastShare = fastShare
        configuration.slowMedianHours = slowMedianHours
        let simulator = try ConversionSimulator(configuration: configuration)
        let bar = ProgressBar("simulate", total: clicks)
        let (written, conversions) = try simulator.write(to: out, seed: seed) { bar.advance(by: $0 - bar.completed) }
        bar.finish(status: "wrote \(out)")
        print("\(written) clicks, \(conversions) conversions (\(String(format: "%.1f", 100 * Double(conversions) / Double(written)))%) over \(days) days in \(out)")
    }
}

struct ConversionsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Replay a click log hour by hour and compare delayed-feedback methods.",
        discussion: """
        Pretrain on the first quarter of the log's time span, then step hourly: each method predicts the
        step's clicks (scored against their true eventual labels) and trains on what its stream makes
        observable during the step. Reports size-weighted AUC, PR-AUC and NLL, and RI = (X - vanilla) /
        (oracle - vanilla). Methods: \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", ")).

        Example:
          vane conversions evaluate --events clicks.csv --window 1 --json
        """
    )

    @Option(help: "Click log.")
    var events: String

    @Option(help: "vane (CSV with header) or criteo (data.txt).")
    var format = "vane"

    @Option(help: "Comma-separated methods.")
    var methods = DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Waiting window in hours.")
    var window = 1.0

    @Option(help: "Conversion model trained through the replay: logistic, or mlp (embedding bag 32 -> 16 -> 1 over the hashed features).")
    var model = "logistic"

    @Option(help: "Training passes over each step's samples (1-10). The papers' protocol is 1; more passes test whether a method ranks better because of its labels or because of its number of updates.")
    var passesPerStep = 1

    @Option(help: "Factor on the weight of every positive training sample (0-100]. The papers' protocol is 1; above 1 tests whether a method ranks better because it counts conversions more than once.")
    var positiveWeight: Float = 1

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        guard let logFormat = ClickLog.Format(rawValue: format) else { throw ValidationError("--format must be vane or criteo, got \(format)") }
        let chosen = try methods.split(separator: ",").map { name -> DelayedFeedbackMethod in
            guard let method = DelayedFeedbackMethod(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown method \"\(name)\"; choose from \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return method
        }
        guard !chosen.isEmpty else { throw ValidationError("--methods: name at least one of \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", "))") }
        var configuration = StreamReplay.Configuration()
        configuration.windowHours = window
        guard let classifier = ConversionClassifier(rawValue: model) else {
            throw ValidationError("--model must be one of \(ConversionClassifier.allCases.map(\.rawValue).joined(separator: ", ")), got \(model)")
        }
        configuration.classifier = classifier
        configuration.passesPerStep = passesPerStep
        configuration.positiveWeight = positiveWeight
        let replay = try StreamReplay(configuration: configuration)
        let log = try ClickLog.load(path: events, format: logFormat)
        let bar = ProgressBar("replay", total: 1)
        var total = 1
        let result = try replay.run(log, methods: chosen, seed: seed) { done, all in
            total = all
            if done % 24 == 0 { bar.advance(by: 0, status: "\(done)/\(all) method-steps") }
        }
        bar.finish(status: "\(total) method-steps in \(String(format: "%.1f", result.seconds)) s")
        if json {
            struct Method: Encodable {
                let auc: Double, prAUC: Double, nll: Double, riAUC: Double, riPRAUC: Double, riNLL: Double
                enum CodingKeys: String, CodingKey { case auc, prAUC = "pr_auc", nll, riAUC = "ri_auc", riPRAUC = "ri_pr_auc", riNLL = "ri_nll" }
            }
            struct Output: Encodable { let rows: Int; let steps: Int; let seconds: Double; let methods: [String: Method] }
            try printJSON(Output(rows: result.rows, steps: result.steps, seconds: result.seconds, methods: Dictionary(uniqueKeysWithValues: result.methods.map {
                ($0.key.rawValue, Method(auc: $0.value.auc, prAUC: $0.value.prAUC, nll: $0.value.nll, riAUC: $0.value.riAUC,
                                         riPRAUC: $0.value.riPRAUC, riNLL: $0.value.riNLL))
            })))
            return
        }
        print("\(events): \(result.rows) clicks, \(result.steps) hourly steps, window \(window) h")
        print("method       AUC     PR-AUC  NLL     RI-AUC  RI-PR   RI-NLL")
        for method in chosen {
            guard let r = result.methods[method] else { continue }
            print(method.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: " %.4f  %.4f  %.4f  %6.3f  %6.3f  %6.3f", r.auc, r.prAUC, r.nll, r.riAUC, r.riPRAUC, r.riNLL))
        }
    }
}

struct ConversionsTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a servable conversion model by replaying a whole click log under one method.",
        discussion: """
        Pretrains on the first quarter of the log, replays the rest hour by hour under the method's stream
        rules (as `evaluate` does), then writes the final model with its feature encoder and a diagonal
        Laplace posterior, so `vane serve --conversions DIR` returns a score and an uncertainty per request.
        Files: DIR/conversion.safetensors and DIR/conversion.json.

        Example:
          vane conversions simulate --out clicks.csv --clicks 200000 --days 20
          vane conversions train --events clicks.csv --out models/conversion --method engagement
        """
    )

    @Option(help: "Click log.")
    var events: String

    @Option(help: "Model directory to write.")
    var out: String

    @Option(help: "Method: \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method = "engagement"

    @Option(help: "vane (CSV with header) or criteo (data.txt).")
    var format = "vane"

    @Option(help: "Waiting window in hours.")
    var window = 1.0

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        guard let logFormat = ClickLog.Format(rawValue: format) else { throw ValidationError("--format must be vane or criteo, got \(format)") }
        guard let chosen = DelayedFeedbackMethod(rawValue: method) else {
            throw ValidationError("unknown method \"\(method)\"; choose from \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try OutputLocation.directory(out, option: "--out")
        var configuration = StreamReplay.Configuration()
        configuration.windowHours = window
        let replay = try StreamReplay(configuration: configuration)
        let log = try ClickLog.load(path: events, format: logFormat)
        let bar = ProgressBar("train \(chosen.rawValue)", total: 1)
        let started = Date()
        let model = try replay.train(log, method: chosen, seed: seed) { done, all in
            if done % 24 == 0 { bar.advance(by: 0, status: "\(done)/\(all) hourly steps") }
        }
        try model.save(to: out)
        bar.finish(status: String(format: "%.1f s", Date().timeIntervalSince(started)))
        print("trained \(chosen.rawValue) on \(log.count) clicks (replay AUC \(model.details["replay_auc"] ?? "?"), NLL \(model.details["replay_nll"] ?? "?")); model in \(out)")
        print("features: \(model.encoder.featureColumns.joined(separator: ", "))")
    }
}
