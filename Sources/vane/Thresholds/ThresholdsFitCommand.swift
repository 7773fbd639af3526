import ArgumentParser
import Foundation
import VaneDecisions
import VaneTabular
import VaneTensor

/// `vane thresholds fit`: fit a policy on the user's own (label, score, uncertainty) rows.
struct ThresholdsFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a decision policy on a CSV of label, score and uncertainty columns; write it as JSON.",
        discussion: """
        Example:
          vane thresholds fit --scores validation.csv --precision 0.9 --confidence 0.95 --out policy.json
          vane thresholds apply --policy policy.json --scores new.csv
        """
    )

    @Option(help: "CSV with label, score and uncertainty columns.")
    var scores: String

    @Option(help: "Precision target in (0, 1].")
    var precision: Double

    @Option(help: "Policy: single, ew-dpmt or mist.")
    var policy = ThresholdPolicy.Kind.mist

    @Option(help: "Use a Wilson lower confidence bound on precision at this level (e.g. 0.95).")
    var confidence: Double?

    @Option(name: .customLong("uncertainty-bins"), help: "Uncertainty bins.")
    var uncertaintyBins = 4

    @Option(help: "Where to write the policy JSON.")
    var out: String

    @OptionGroup var columns: ScoreColumns

    @OptionGroup var risk: RiskControlOptions

    @Option(name: .customLong("calibrate-on"), help: "With --risk-control ltt: random (a seeded shuffle of the rows decides which ones calibrate) or latest (the last rows of the file, e.g. the most recent, calibrate).")
    var calibrateOn: CalibrationRows = .random

    @Option(help: "Seed of the shuffle with --calibrate-on random.")
    var seed: UInt64 = 1

    enum CalibrationRows: String, CaseIterable, ExpressibleByArgument { case random, latest }

    func run() throws {
        let learnThenTest = try risk.learnThenTest(confidenceGiven: confidence != nil)
        let kind = policy
        try OutputLocation.file(out, option: "--out")
        let table = try CSVTableLoader().load(path: scores)
        let labels = try table.binaryLabels(column: columns.labelColumn, positive: "1")
        let examples: ScoredExamples
        do {
            examples = try ScoredExamples(scores: columns.numbers(table, columns.scoreColumn),
                                          uncertainties: columns.numbers(table, columns.uncertaintyColumn), labels: labels)
        } catch let error as DecisionError {
            throw ValidationError("\(scores): \(error.message)")
        }
        let fitter = ThresholdPolicyFitter(targetPrecision: precision, bound: confidence.map { .wilson(confidence: $0) } ?? .pointEstimate,
                                           uncertaintyBins: uncertaintyBins)
        let fitted: ThresholdPolicy
        if let learnThenTest {
            var order = Array(0..<examples.count)
            if calibrateOn == .random {
                var generator = SeededGenerator(seed: seed)
                order.seededShuffle(using: &generator)
            }
            let (policy, report) = try fitter.fitLearnThenTest(kind, on: examples.subset(order), settings: learnThenTest)
            fitted = policy
            print("Learn then Test: \(report.passed) of \(report.candidates) candidates shown to meet precision \(precision) on \(report.calibrationExamples) calibration rows"
                  + (report.pValue.map { String(format: " (p = %.4g <= delta %g)", $0, learnThenTest.delta) } ?? ""))
        } else {
            fitted = try fitter.fit(kind, on: examples)
        }
        try fitted.jsonData().write(to: URL(fileURLWithPath: out), options: .atomic)
        print(String(format: "%@ policy, %d uncertainty bins: precision %.4f, recall %.4f on %d rows%@; written to %@",
                     kind.rawValue, fitted.scoreThresholds.count, fitted.fit.precision, fitted.fit.recall, fitted.fit.examples,
                     fitted.fit.reachedTarget ? "" : " (target NOT reached: the policy accepts nothing)", out))
    }
}

