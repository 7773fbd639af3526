import Foundation
import VaneLinear
import VaneTabular
import VaneTensor

/// The decision experiment of SPEC.md section 3 on a table: split rows into train / validation /
/// test, fit a logistic model with an uncertainty estimator on train, fit each policy on validation
/// for each precision target, report honest test measures.
public struct DecisionExperiment: Sendable {
    /// How rows are split.
    public enum Split: Sendable, Equatable {
        /// Seeded random 60/20/20.
        case random
        /// By a numeric column: the earliest 60% train, next 20% validation, latest 20% test.
        case time(column: String)
    }

    public struct Settings: Sendable {
        public var estimator: UncertaintyEstimator = .ensemble
        /// When not empty, `estimator` is ignored and the candidate whose 2-D policies give the most
        /// recall on validation is used (`EstimatorChoice`).
        public var estimatorCandidates: [UncertaintyEstimator] = []
        public var precisionTargets: [Double] = [0.5, 0.6, 0.7, 0.8, 0.9]
        /// Keep this fraction of negative *training* rows (differential class sampling); 1 keeps all.
        public var negativeSampling: Double = 1
        public var split: Split = .random
        /// Columns never used as features (ids, or facts known only after the decision).
        public var ignoredColumns: Set<String> = []
        /// Ensemble size, dropout passes and the models behind the estimator.
        public var estimatorSettings = EstimatorSettings()
        /// Uncertainty bins of the 2-D policies; nil chooses among 2, 4, 8 inside validation.
        public var uncertaintyBins: Int? = nil
        /// Score bins of EW-DPMT; nil chooses among 10, 20, 40 inside validation.
        public var scoreBins: Int? = nil
        public var bound: PrecisionBound = .pointEstimate
        /// Fit every policy by Learn then Test on the validation rows instead (`bound` is then unused):
        /// bins chosen on the learning part, candidates tested on the latest (time split) or a random
        /// (random split) part. Nil fits on all validation rows with `bound`.
        public var riskControl: ThresholdPolicyFitter.LearnThenTest? = nil
        public init() {}
    }

    /// Per policy and target: honest test results; plus the curve-based comparison.
    public struct Outcome: Sendable {
        public let rows: Int
        public let positives: Int
        public let testRows: Int
        public var policies: [ThresholdPolicy.Kind: [Double: PolicyEvaluation]] = [:]
        public var fitted: [ThresholdPolicy.Kind: [Double: ThresholdPolicy]] = [:]
        /// The bin counts each 2-D policy used (chosen inside validation unless fixed by settings).
        public var bins: [ThresholdPolicy.Kind: [Double: ThresholdPolicyFitter.BinCounts]] = [:]
        /// Recall at each target read off the test PR curve: "raw" and each 2-D policy's recalibrated score.
        public var curve: [String: [Double: Double]] = [:]
        /// The estimator used, and with `Settings.estimatorCandidates` each candidate's validation score.
        public var estimator: UncertaintyEstimator = .ensemble
        public var estimatorTrials: [EstimatorChoice.Trial] = []
        /// With `Settings.riskControl`: what each Learn then Test did.
        public var riskControl: [ThresholdPolicy.Kind: [Double: ThresholdPolicyFitter.LearnThenTestReport]] = [:]
        public var testExamples: ScoredExamples?
    }

    public let table: Table
    public let labels: [Bool]
    public let settings: Settings

    public init(table: Table, labelColumn: String, positive: String, settings: Settings) throws {
        guard !settings.precisionTargets.isEmpty, settings.precisionTargets.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw DecisionError(.invalidConfiguration, "precision targets must be in (0, 1], got \(settings.precisionTargets)")
        }
        if let bins = settings.uncertaintyBins, bins < 1 { throw DecisionError(.invalidConfiguration, "uncertainty bins must be >= 1, got \(bins)") }
        if let bins = settings.scoreBins, bins < 1 { throw DecisionError(.invalidConfiguration, "score bins must be >= 1, got \(bins)") }
        try settings.riskControl?.validate()
        guard settings.negativeSampling > 0, settings.negativeSampling <= 1 else {
            throw DecisionError(.invalidConfiguration, "negative sampling fraction must be in (0, 1], got \(settings.negativeSampling)")
        }
        self.table = table
        self.labels = try table.binaryLabels(column: labelColumn, positive: positive)
        self.settings = settings
        self.labelColumn = labelColumn
        for name in settings.ignoredColumns.sorted() where !table.columnNames.contains(name) {
            throw DecisionError(.invalidInput, "\(table.source): cannot ignore column \"\(name)\": no such column; columns are \(table.columnNames.joined(separator: ", "))")
        }
        guard table.rowCount >= 100 else { throw DecisionError(.invalidInput, "\(table.source): need at least 100 rows, found \(table.rowCount)") }
    }

    private let labelColumn: String

    /// Row indices of train, validation and test.
    func splitRows(using generator: inout SeededGenerator) throws -> ([Int], [Int], [Int]) {
        var order = Array(0..<table.rowCount)
        switch settings.split {
        case .random:
            order.seededShuffle(using: &generator)
        case .time(let column):
            guard case .numeric(let times) = table.columns[try table.columnIndex(named: column)] else {
                throw DecisionError(.invalidInput, "time split column \"\(column)\" must be numeric")
            }
            order.sort { times[$0] < times[$1] }
        }
        let n = order.count
        return (Array(order[0..<(n * 6 / 10)]), Array(order[(n * 6 / 10)..<(n * 8 / 10)]), Array(order[(n * 8 / 10)...]))
    }

    public func run(seed: UInt64) throws -> Outcome {
        var generator = SeededGenerator(seed: seed)
        var (trainRows, validationRows, testRows) = try splitRows(using: &generator)
        if settings.negativeSampling < 1 {
            trainRows = trainRows.filter { labels[$0] || generator.nextUnitDouble() < settings.negativeSampling }
        }
        // The label is never a feature, nor is the time column of a time split.
        var excluded: Set<String> = settings.ignoredColumns.union([labelColumn])
        if case .time(let column) = settings.split { excluded.insert(column) }
        let encoder = TableFeatureEncoder(table: table, excluding: excluded, rows: trainRows)
        let train = try encoder.encode(table, rows: trainRows)
        let heldOut = try encoder.encode(table, rows: validationRows + testRows)
        let heldOutLabels = (validationRows + testRows).map { labels[$0] }
        var chosen = settings.estimator
        var all: ScoredExamples
        var trials: [EstimatorChoice.Trial] = []
        if settings.estimatorCandidates.isEmpty {
            let predictions = try settings.estimator.predictions(training: train, labels: trainRows.map { labels[$0] }, test: heldOut,
                                                                 settings: settings.estimatorSettings, using: &generator)
            all = try ScoredExamples(scores: predictions.scores, uncertainties: predictions.uncertainties, labels: heldOutLabels)
        } else {
            var estimatorChoice = try EstimatorChoice(candidates: settings.estimatorCandidates, targets: settings.precisionTargets)
            estimatorChoice.riskControl = settings.riskControl
            let choice = try estimatorChoice
                .choose(training: train, labels: trainRows.map { labels[$0] }, heldOut: heldOut, heldOutLabels: heldOutLabels,
                        validationCount: validationRows.count, settings: settings.estimatorSettings, using: &generator)
            (chosen, all, trials) = (choice.estimator, choice.examples, choice.trials)
        }
        let validation = all.subset(Array(0..<validationRows.count))
        let test = all.subset(Array(validationRows.count..<all.count))
        var outcome = Outcome(rows: table.rowCount, positives: labels.filter { $0 }.count, testRows: test.count)
        outcome.estimator = chosen
        outcome.estimatorTrials = trials
        outcome.testExamples = test
        // Learn then Test chooses bins on its learning part only: the calibration rows stay unseen.
        let learningCount = settings.riskControl.map { validation.count - $0.calibrationCount(of: validation.count) }
        let binSelectionRows = learningCount.map { validation.subset(Array(0..<$0)) } ?? validation
        for target in settings.precisionTargets {
            let fitter = ThresholdPolicyFitter(targetPrecision: target, bound: settings.bound,
                                               uncertaintyBins: settings.uncertaintyBins ?? 4, scoreBins: settings.scoreBins ?? 20)
            outcome.curve["raw", default: [:]][target] = PolicyEvaluation.curveRecall(values: test.scores, labels: test.labels, precision: target)
            for kind in ThresholdPolicy.Kind.allCases {
                let uncertaintyCandidates = settings.uncertaintyBins.map { [$0] } ?? [2, 4, 8]
                let scoreCandidates = settings.scoreBins.map { [$0] } ?? [10, 20, 40]
                var (policy, bins) = try fitter.fitChoosingBins(
                    kind, on: binSelectionRows, uncertaintyCandidates: uncertaintyCandidates, scoreCandidates: scoreCandidates, using: &generator)
                if let riskControl = settings.riskControl {
                    var chosen = fitter
                    chosen.uncertaintyBins = bins.uncertaintyBins
                    chosen.scoreBins = bins.scoreBins
                    let (controlled, report) = try chosen.fitLearnThenTest(kind, on: validation, settings: riskControl)
                    policy = controlled
                    outcome.riskControl[kind, default: [:]][target] = report
                }
                if kind != .single { outcome.bins[kind, default: [:]][target] = bins }
                outcome.policies[kind, default: [:]][target] = PolicyEvaluation(policy: policy, on: test)
                outcome.fitted[kind, default: [:]][target] = policy
                if kind != .single {
                    let recalibrated = (0..<test.count).map { policy.recalibratedScore(score: test.scores[$0], uncertainty: test.uncertainties[$0]) }
                    outcome.curve[kind.rawValue, default: [:]][target] = PolicyEvaluation.curveRecall(values: recalibrated, labels: test.labels, precision: target)
                }
            }
        }
        return outcome
    }
}
