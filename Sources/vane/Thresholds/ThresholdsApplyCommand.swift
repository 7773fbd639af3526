import ArgumentParser
import Foundation
import VaneDecisions
import VaneTabular

/// `vane thresholds apply`: decisions for each row of a CSV from a fitted policy.
struct ThresholdsApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a fitted policy to a CSV of score and uncertainty columns; prints score,uncertainty,decision rows."
    )

    @Option(help: "Policy JSON written by `vane thresholds fit`.")
    var policy: String

    @Option(help: "CSV with score and uncertainty columns.")
    var scores: String

    @OptionGroup var columns: ScoreColumns

    func run() throws {
        let fitted = try ThresholdPolicy.load(path: policy)
        let table = try CSVTableLoader().load(path: scores)
        let scoreValues = try columns.numbers(table, columns.scoreColumn), uncertainties = try columns.numbers(table, columns.uncertaintyColumn)
        var output = "score,uncertainty,decision\n"
        for (score, uncertainty) in zip(scoreValues, uncertainties) {
            output += "\(score),\(uncertainty),\(fitted.decide(score: score, uncertainty: uncertainty) ? 1 : 0)\n"
        }
        print(output, terminator: "")
    }
}
