import ArgumentParser

/// `vane thresholds ...`: uncertainty-aware decision policies.
struct ThresholdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thresholds",
        abstract: "Decisions that use prediction uncertainty: one score threshold per uncertainty level.",
        subcommands: [ThresholdsEvaluateCommand.self, ThresholdsFitCommand.self, ThresholdsApplyCommand.self, ThresholdsSimulateCommand.self]
    )
}
