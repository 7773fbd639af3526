import ArgumentParser
import Foundation
import VaneConversions
import VaneDecisions
import VaneTabular

/// `vane thresholds evaluate`: fit single / EW-DPMT / MIST policies on a CSV and report honest test results.
struct ThresholdsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare a single score threshold with per-uncertainty thresholds (EW-DPMT, MIST) on a labelled CSV.",
        discussion: """
        Rows are split 60/20/20 (train/validation/test; random, or by a time column). A model with an uncertainty estimator is trained on train (logistic regression for ensemble and laplace, a sparse MLP for dropout and posterior; categorical columns are hashed, so high-cardinality IDs are fine). Each policy is fitted on validation to maximise recall at precision >= target, with bin counts chosen by cross-validation inside validation unless given. The test split reports recall AND the precision the policy achieved (a gain counts only where both policies meet the target within 0.01), and recall read off the test precision-recall curve of each recalibrated score versus the raw score.

        Examples:
          vane thresholds evaluate --data ../shared/data/adult.csv.gz --label income --positive '>50K' --json
          vane conversions simulate --out clicks.csv --clicks 200000
          vane thresholds evaluate --data clicks.csv --label conversion_time --positive '*' \\
            --ignore click_id,view_times,cart_times,favourite_times --split time:click_time --downsample-negatives 0.1 --estimator laplace
        """
    )

    @Option(help: "CSV with a header (gzip accepted), or a Criteo Conversion Logs data.txt with --format criteo.")
    var data: String

    @Option(help: "csv, or criteo (columns click_time, conversion_time, int1-8, cat1-9; e.g. --label conversion_time --positive '*' --split time:click_time).")
    var format = TableFormat.csv

    @Option(help: "Comma-separated columns never used as features (ids; facts known only after the decision, such as cart_time).")
    var ignore = ""

    @Option(help: "Label column.")
    var label: String

    @Option(help: "Value of the label column that means positive; '*' means any non-empty value (a conversion time: converted).")
    var positive: String

    @Option(help: "Uncertainty estimator: auto (the default: laplace, ensemble and posterior each trained; the one whose 2-D policies, fitted as the final ones are (Learn then Test by default) on the earlier half of validation, keep the most recall at the targets on the later half wins; the single threshold shares it, so for a single threshold alone name an estimator), ensemble (10 bootstrap logistic regressions; variance), dropout (MLP, 30 Monte Carlo dropout passes; variance), laplace (diagonal Laplace logistic regression; logit variance) or posterior (MLP with a Beta head; differential entropy).")
    var estimator = EstimatorArgument.auto

    @Option(name: .customLong("posterior-uncertainty"), help: "With --estimator posterior: the Beta's entropy, variance, or evidence (1 / (alpha + beta)).")
    var posteriorUncertainty = BetaUncertainty.entropy

    @Option(help: ArgumentHelp("Comma-separated precision targets, each in (0, 1].", valueName: "targets"))
    var precision = PrecisionTargets([0.5, 0.6, 0.7, 0.8, 0.9])

    @Option(name: .customLong("downsample-negatives"), help: "Keep this fraction of negative training rows (1 keeps all).")
    var downsampleNegatives = 1.0

    @Option(help: "random, or time:COLUMN to train on the earliest rows and test on the latest.")
    var split = TableSplitArgument.random

    @Option(name: .customLong("uncertainty-bins"), help: "Uncertainty bins of the 2-D policies: a number, or auto to choose among 2, 4, 8 by cross-validation inside the validation split.")
    var uncertaintyBins = BinCountArgument.auto

    @Option(name: .customLong("score-bins"), help: "Score bins per uncertainty bin of EW-DPMT: a number, or auto to choose among 10, 20, 40 inside validation.")
    var scoreBins = BinCountArgument.auto

    @Option(help: "Require a Wilson lower confidence bound on precision at this level (e.g. 0.95) instead of the point estimate.")
    var confidence: Double?

    @OptionGroup var risk: RiskControlOptions

    @Option(help: "Seed of the split, resampling and training.")
    var seed: UInt64 = 1

    @Option(help: "Comma-separated seeds (e.g. 1,2,3,4,5): repeat the experiment per seed and report mean ± sd, promises kept and gains; overrides --seed.")
    var seeds: SeedList?

    @Option(help: ArgumentHelp("Write SVG plots of the test split here: premise.svg (positive rate vs uncertainty within score bands) and boundary-POLICY-TARGET.svg (positive rate per uncertainty x score cell, accepted cells outlined).", valueName: "directory"))
    var plots: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        var settings = DecisionExperiment.Settings()
        switch estimator {
        case .auto: settings.estimatorCandidates = EstimatorChoice.defaultCandidates
        case .fixed(let chosen): settings.estimator = chosen
        }
        settings.estimatorSettings.betaUncertainty = posteriorUncertainty
        settings.precisionTargets = precision.values
        settings.negativeSampling = downsampleNegatives
        settings.uncertaintyBins = uncertaintyBins.count
        settings.scoreBins = scoreBins.count
        if let confidence { settings.bound = .wilson(confidence: confidence) }
        settings.riskControl = try risk.learnThenTest(confidenceGiven: confidence != nil)
        settings.split = split.split
        settings.ignoredColumns = Set(ignore.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let table: Table
        switch format {
        case .csv: table = try CSVTableLoader().load(path: data)
        case .criteo: table = try ClickLog.loadTable(path: data, format: .criteo)
        }
        let experiment = try DecisionExperiment(table: table, labelColumn: label, positive: positive, settings: settings)
        if let seeds { return try runSweep(experiment, seeds: seeds.values, settings: settings) }
        let outcome = try experiment.run(seed: seed)
        if let plots { try writePlots(outcome, to: plots, targets: settings.precisionTargets) }
        if json {
            try printJSON(ThresholdsEvaluationOutput(outcome: outcome, estimator: outcome.estimator.rawValue, targets: settings.precisionTargets))
            return
        }
        if !outcome.estimatorTrials.isEmpty {
            print("estimator auto: " + outcome.estimatorTrials.map { String(format: "%@ %.4f", $0.estimator.rawValue, $0.score) }.joined(separator: ", ")
                  + " (mean recall at the targets of the better 2-D policy on the later half of validation); using \(outcome.estimator.rawValue)")
        }
        print("\(data): \(outcome.rows) rows, \(outcome.positives) positives; estimator \(outcome.estimator.rawValue); \(outcome.testRows) test rows"
              + (settings.riskControl.map { "; Learn then Test, delta \($0.delta) (precision >= target on new data with probability >= \(1 - $0.delta))" } ?? ""))
        let driftLevel = settings.riskControl?.delta ?? 0.05
        print("target  policy    test recall  test precision  meets  drift  | curve recall (test PR curve)   (meets: -- = accepted nothing)")
        for target in settings.precisionTargets {
            for kind in ThresholdPolicy.Kind.allCases {
                let e = outcome.policies[kind]![target]!
                let curve = kind == .single ? outcome.curve["raw"]![target]! : outcome.curve[kind.rawValue]![target]!
                print(String(format: "%.2f    ", target) + kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + String(format: " %.4f       %.4f          %@    %@    | %.4f%@", e.recall, e.precision, e.accepted == 0 ? "-- " : e.meetsTarget ? "yes" : "NO ",
                               e.drifted(level: driftLevel) ? "YES" : "no ", curve, kind == .single ? " (raw score)" : ""))
            }
        }
        for kind in [ThresholdPolicy.Kind.ewDPMT, .mist] {
            let chosen = settings.precisionTargets.map { target -> String in
                let bins = outcome.bins[kind]![target]!
                return String(format: "%g", target) + ": " + (kind == .mist ? "\(bins.uncertaintyBins)" : "\(bins.uncertaintyBins)x\(bins.scoreBins)")
            }
            print("\(kind.rawValue) bins (uncertainty\(kind == .mist ? "" : " x score")) by target: \(chosen.joined(separator: ", "))")
        }
    }
}

extension ThresholdsEvaluateCommand {
    /// `--seeds`: the sweep as a table or JSON.
    func runSweep(_ experiment: DecisionExperiment, seeds: [UInt64], settings: DecisionExperiment.Settings) throws {
        let bar = ProgressBar("seeds", total: seeds.count)
        var sweep = try DecisionSweep.run(experiment, seeds: seeds) { bar.advance(status: "seed \($0)") }
        sweep.driftLevel = settings.riskControl?.delta ?? 0.05
        bar.finish(status: "done")
        let output = ThresholdsSweepOutput(sweep: sweep, estimator: sweep.outcomes.map(\.estimator.rawValue).joined(separator: ","), targets: settings.precisionTargets,
                                           riskControl: settings.riskControl)
        if json { return try printJSON(output) }
        print("\(data): \(sweep.outcomes[0].rows) rows; estimator by seed \(output.estimator); seeds \(seeds.map(String.init).joined(separator: ",")); mean ± sd"
              + (settings.riskControl.map { "; Learn then Test, delta \($0.delta)" } ?? ""))
        print("target  policy    test recall      test precision   kept/broken/empty/drift  honest gain vs single   curve gain")
        for target in settings.precisionTargets {
            for kind in ThresholdPolicy.Kind.allCases {
                guard let cell = sweep.cell(kind, target: target) else { continue }
                let gain = sweep.gain(kind, target: target)
                let honest = gain.map { $0.honest.map { "\($0.formatted()) (\($0.values.count) seeds)" } ?? "none (a promise broken)" } ?? ""
                print(String(format: "%.2f    ", target) + kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + " "
                      + cell.recall.formatted().padding(toLength: 16, withPad: " ", startingAt: 0) + " "
                      + cell.precision.formatted().padding(toLength: 16, withPad: " ", startingAt: 0) + " "
                      + "\(seeds.count - cell.seedsViolating)/\(cell.seedsViolating)/\(cell.seedsAcceptingNothing)/\(cell.seedsDrifted)".padding(toLength: 24, withPad: " ", startingAt: 0) + " "
                      + honest.padding(toLength: 23, withPad: " ", startingAt: 0) + " " + (gain.map { $0.curve.formatted() } ?? ""))
            }
        }
    }

    /// Writes the premise plot and one decision map per 2-D policy and target; each file is written
    /// whole (atomically) or not at all.
    func writePlots(_ outcome: DecisionExperiment.Outcome, to directory: String, targets: [Double]) throws {
        guard let test = outcome.testExamples else { return }
        let folder = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let premise = PremiseCurves(examples: test).svg(title: "Positive rate vs uncertainty at similar scores (\(outcome.estimator.rawValue), test split)")
            try Data(premise.utf8).write(to: folder.appendingPathComponent("premise.svg"), options: .atomic)
            for kind in [ThresholdPolicy.Kind.ewDPMT, .mist] {
                for target in targets {
                    guard let policy = outcome.fitted[kind]?[target] else { continue }
                    let name = "boundary-\(kind.rawValue)-\(String(format: "%g", target)).svg"
                    let svg = DecisionMap(policy: policy, examples: test).svg(
                        title: "Test positive rate, uncertainty x score; \(kind.rawValue) at precision \(String(format: "%g", target))",
                        policyName: kind.rawValue)
                    try Data(svg.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
                }
            }
        } catch {
            throw ValidationError("--plots \(directory): cannot write plots: \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote plots to \(directory)\n".utf8))
    }
}
