import ArgumentParser
import VaneDecisions

/// How a policy's precision promise is made: on the fitting rows (`none`) or by Learn then Test.
enum RiskControlMode: String, CaseIterable, ExpressibleByArgument {
    case none
    case ltt
}

/// Risk-control options shared by `vane thresholds fit` and `vane thresholds evaluate`.
struct RiskControlOptions: ParsableArguments {
    @Option(name: .customLong("risk-control"),
            help: ArgumentHelp("ltt (the default unless --confidence is given; Learn then Test: candidate policies learned on part of the rows, tested in sequence on the rest with exact binomial p-values; precision on new data >= target with probability >= 1 - delta), or none (maximise recall at precision >= target on the fitting rows, judged by the point estimate or --confidence).",
                               valueName: "mode"))
    var riskControl: RiskControlMode?

    @Option(help: "With --risk-control ltt: the allowed chance that precision on new data falls below the target, in (0, 0.5).")
    var delta = 0.1

    @Option(name: .customLong("calibration-fraction"), help: "With --risk-control ltt: share of the fitting rows (the last ones) that test the candidates, in [0.1, 0.9].")
    var calibrationFraction = 0.5

    /// The Learn then Test settings, or nil for `none` (the default when `confidenceGiven`: a Wilson
    /// bound was asked for instead); errors name the flag.
    func learnThenTest(confidenceGiven: Bool = false) throws -> ThresholdPolicyFitter.LearnThenTest? {
        if riskControl == .ltt && confidenceGiven { throw ValidationError("--confidence and --risk-control ltt are alternatives; give one") }
        guard (riskControl ?? (confidenceGiven ? .none : .ltt)) == .ltt else { return nil }
        let settings = ThresholdPolicyFitter.LearnThenTest(delta: delta, calibrationFraction: calibrationFraction)
        // The library checks the ranges; the field it names maps to the flag the user typed.
        do { try settings.validate() } catch {
            throw ValidationError(error.message, field: error.field, flags: ["delta": "--delta", "calibrationFraction": "--calibration-fraction"])
        }
        return settings
    }
}
