import ArgumentParser
import VaneConversions

extension ClickLog.Format: ExpressibleByArgument {}
extension ConversionClassifier: ExpressibleByArgument {}
extension EngagementRevisions: ExpressibleByArgument {}
extension DelayedFeedbackMethod: ExpressibleByArgument {}

/// A comma-separated list of delayed-feedback methods, `--methods vanilla,oracle,engagement`.
struct MethodList: ExpressibleByArgument {
    let methods: [DelayedFeedbackMethod]
    init?(argument: String) {
        let parsed = argument.split(separator: ",").map { DelayedFeedbackMethod(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        methods = parsed.compactMap { $0 }
    }
    static var all: MethodList { MethodList(argument: DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ","))! }
    /// How `--help` shows a default: the names as typed, not the Swift value.
    var defaultValueDescription: String { methods.map(\.rawValue).joined(separator: ",") }
}

/// The click log a conversions command reads.
struct ClickLogOptions: ParsableArguments {
    @Option(name: [.customLong("log"), .customLong("events")],
            help: "Click log (Vane CSV with header, or Criteo data.txt; .gz accepted). --events is the older spelling.")
    var log: String?

    @Option(help: "vane (CSV with header: click_time, conversion_time, view_times, cart_times, favourite_times, features) or criteo (data.txt). With --scenario: the format each seed's log is simulated in (criteo: no engagement).")
    var format = ClickLog.Format.vane

    func load() throws -> ClickLog {
        guard let log else { throw ValidationError("--log: name the click log to read") }
        return try ClickLog.load(path: log, format: format)
    }
}

/// How a log is replayed through time: shared by `evaluate` and `train`.
struct ReplayOptions: ParsableArguments {
    @Option(help: "Waiting window in hours (the vanilla, FSIW, ES-DFM, DEFER, DEFUSE and engagement streams wait this long for a conversion).")
    var window = 1.0

    @Option(help: "Conversion model trained through the replay: logistic, or mlp (embedding bag 32 -> 16 -> 1 over the hashed features).")
    var model = ConversionClassifier.logistic

    @Option(help: "Hours between refreshes of the auxiliary models (f_dp, f_rn, g, the engagement flip model) from clicks matured since (older than the 14-day attribution window); 0 fits them once before the replay.")
    var refreshHours = StreamReplay.Configuration().auxiliaryRefreshHours

    @Option(help: "How the engagement method revises an observed negative's soft label after its window end: none, engagement (at each engagement event and waiting-time boundary), outcomes (also at the late conversion and the attribution end), or late-copies (no revisions; late conversions re-enter as positive copies of weight c and the soft label is z (1 - c + c p), p the prediction).")
    var engagementRevisions = StreamReplay.Configuration().engagementRevisions

    @Option(name: .customLong("late-copy-weight"), help: "Weight c in [0, 1] of the engagement method's late positive copies (late-copies); its window-end soft label is then z (1 - c + c p). Default: 1 - f / 2, f the share of conversions after the window among those matured before the replay.")
    var lateCopyWeight: Double?

    @Option(help: "Training passes over each step's samples (1-10). The papers' protocol is 1; more passes test whether a method ranks better because of its labels or because of its number of updates.")
    var passesPerStep = 1

    @Option(help: "Factor on the weight of every positive training sample (0-100]. The papers' protocol is 1; above 1 tests whether a method ranks better because it counts conversions more than once.")
    var positiveWeight: Float = 1

    /// The replay these options describe; a bad value names its flag.
    func replay() throws -> StreamReplay {
        var configuration = StreamReplay.Configuration()
        configuration.windowHours = window
        configuration.classifier = model
        configuration.auxiliaryRefreshHours = refreshHours
        configuration.engagementRevisions = engagementRevisions
        configuration.passesPerStep = passesPerStep
        configuration.lateCopyWeight = lateCopyWeight
        configuration.positiveWeight = positiveWeight
        do { return try StreamReplay(configuration: configuration) } catch {
            throw ValidationError(error.message, field: error.field, flags: [
                "windowHours": "--window", "classifier": "--model", "network": "--model", "auxiliaryRefreshHours": "--refresh-hours",
                "passesPerStep": "--passes-per-step", "positiveWeight": "--positive-weight", "lateCopyWeight": "--late-copy-weight"])
        }
    }
}
