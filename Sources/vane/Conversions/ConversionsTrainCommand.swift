import ArgumentParser
import Foundation
import VaneConversions

struct ConversionsTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a servable conversion model by replaying a whole click log under one method.",
        discussion: """
        Pretrains on the first quarter of the log, replays the rest hour by hour under the method's stream \
        rules (as `evaluate` does), then writes the final model with its feature encoder and a diagonal \
        Laplace posterior, so `vane serve --conversions DIR` returns a score and an uncertainty per request. \
        Files: DIR/conversion.safetensors and DIR/conversion.json.

        Example:
          vane conversions simulate --out clicks.csv --clicks 200000 --days 20
          vane conversions train --log clicks.csv --out models/conversion --method engagement
        """
    )

    @OptionGroup var input: ClickLogOptions

    @Option(help: "Model directory to write.")
    var out: String

    @Option(help: "Method: \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method = DelayedFeedbackMethod.engagement

    @OptionGroup var replayOptions: ReplayOptions

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        try OutputLocation.directory(out, option: "--out")
        guard replayOptions.model == .logistic else {
            throw ValidationError("--model: a servable conversion model is logistic (its Laplace posterior gives the served uncertainty)")
        }
        let replay = try replayOptions.replay()
        let log = try input.load()
        let bar = ProgressBar("train \(method.rawValue)", total: 1)
        let started = Date()
        let model = try replay.train(log, method: method, seed: seed) { done, all in
            if done % 24 == 0 { bar.advance(by: 0, status: "\(done)/\(all) hourly steps") }
        }
        try model.save(to: out)
        bar.finish(status: String(format: "%.1f s", Date().timeIntervalSince(started)))
        print("trained \(method.rawValue) on \(log.count) clicks (replay AUC \(model.details["replay_auc"] ?? "?"), NLL \(model.details["replay_nll"] ?? "?")); model in \(out)")
        print("features: \(model.encoder.featureColumns.joined(separator: ", "))")
    }
}
