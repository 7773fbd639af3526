import ArgumentParser
import VaneDecisions

extension BetaUncertainty: ExpressibleByArgument {}
extension ThresholdPolicy.Kind: ExpressibleByArgument {}

/// `--estimator`: `auto` (cross-fitted choice among `EstimatorChoice.defaultCandidates`) or one estimator.
enum EstimatorArgument: ExpressibleByArgument, Equatable {
    case auto
    case fixed(UncertaintyEstimator)

    init?(argument: String) {
        if argument == "auto" { self = .auto; return }
        guard let estimator = UncertaintyEstimator(rawValue: argument) else { return nil }
        self = .fixed(estimator)
    }

    static var allValueStrings: [String] { ["auto"] + UncertaintyEstimator.allCases.map(\.rawValue) }
    var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .fixed(let estimator): estimator.rawValue
        }
    }
}

/// `--uncertainty-bins` / `--score-bins`: `auto` (chosen inside validation) or a positive count.
struct BinCountArgument: ExpressibleByArgument, Equatable {
    /// nil for auto.
    let count: Int?

    static let auto = BinCountArgument(count: nil)
    private init(count: Int?) { self.count = count }

    init?(argument: String) {
        if argument == "auto" { count = nil; return }
        guard let value = Int(argument), value >= 1 else { return nil }
        count = value
    }

    var defaultValueDescription: String { count.map(String.init) ?? "auto" }
}

/// `--precision 0.5,0.6`: comma-separated precision targets, each in (0, 1].
struct PrecisionTargets: ExpressibleByArgument {
    let values: [Double]

    init(_ values: [Double]) { self.values = values }

    init?(argument: String) {
        let parsed = argument.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0.map { $0 > 0 && $0 <= 1 } ?? false }) else { return nil }
        values = parsed.compactMap { $0 }
    }

    var defaultValueDescription: String { values.map { "\($0)" }.joined(separator: ",") }
}

/// `--split random|time:COLUMN`.
struct TableSplitArgument: ExpressibleByArgument {
    let split: DecisionExperiment.Split

    static let random = TableSplitArgument(split: .random)
    private init(split: DecisionExperiment.Split) { self.split = split }

    init?(argument: String) {
        if argument == "random" { split = .random; return }
        guard argument.hasPrefix("time:"), argument.count > 5 else { return nil }
        split = .time(column: String(argument.dropFirst(5)))
    }

    var defaultValueDescription: String {
        switch split {
        case .random: "random"
        case .time(let column): "time:\(column)"
        }
    }
}

/// `--format` of a labelled table: a CSV with a header, or a Criteo Conversion Logs `data.txt`.
enum TableFormat: String, CaseIterable, ExpressibleByArgument {
    case csv, criteo
}
