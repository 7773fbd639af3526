import ArgumentParser
import Foundation
import VaneConversions
import VaneMetrics

struct ConversionsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Replay a click log hour by hour and compare delayed-feedback methods, over seeds.",
        discussion: """
        Pretrain on the first quarter of the log's time span, then step hourly: each method predicts the \
        step's clicks (scored against their true eventual labels) and trains on what its stream makes \
        observable during the step (engagement counts from its time on; auxiliary models learn from \
        matured clicks every --refresh-hours). Reports size-weighted AUC, PR-AUC and NLL, and RI = \
        (X - vanilla) / (oracle - vanilla). With --seeds: mean ± sd per metric and each method's paired \
        difference against the best other method (oracle excluded). With --scenario instead of --log, \
        each seed simulates its own log. Methods: \(DelayedFeedbackMethod.allCases.map(\.rawValue).joined(separator: ", ")).

        Examples:
          vane conversions evaluate --log clicks.csv --window 1 --json
          vane conversions evaluate --scenario slow --clicks 300000 --days 30 --seeds 1,2,3 --json
        """
    )

    @OptionGroup var input: ClickLogOptions

    @Option(help: "Simulate each seed's log from a scenario instead of reading --log: \(ConversionSimulator.Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: ConversionSimulator.Scenario?

    @Option(help: "Clicks per simulated log (with --scenario).")
    var clicks = 300_000

    @Option(help: "Days per simulated log (with --scenario).")
    var days = 30

    @Option(help: "Comma-separated methods.")
    var methods = MethodList.all

    @OptionGroup var replayOptions: ReplayOptions

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Option(help: "Comma-separated seeds (e.g. 1,2,3): replay per seed and report mean ± sd and paired differences against the best peer; overrides --seed.")
    var seeds: SeedList?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard (input.log == nil) != (scenario == nil) else { throw ValidationError("--log or --scenario: name exactly one source of clicks") }
    }

    func run() throws {
        let replay = try replayOptions.replay()
        let source: ConversionSweep.Source
        if let scenario {
            let simulation = scenario.configuration(clicks: clicks, days: days)
            do { try simulation.validate() } catch { throw ValidationError("--clicks/--days: \(error.message)") }
            source = .simulated(simulation, scenario: scenario.rawValue, format: input.format)
        } else {
            source = .log(try input.load())
        }
        let seedValues = seeds?.values ?? [seed]
        let bar = ProgressBar("replay", total: seedValues.count)
        let sweep = try ConversionSweep.run(source, methods: methods.methods, seeds: seedValues, replay: replay) { index, _, status in
            bar.advance(by: index - bar.completed, status: status)
        }
        bar.finish(status: String(format: "%d seed(s) in %.1f s", seedValues.count, sweep.results.reduce(0) { $0 + $1.seconds }))
        if seeds == nil, scenario == nil { return try printSingle(sweep) }
        if json {
            struct Output: Encodable {
                let source: String, seeds: [UInt64], window: Double, refreshHours: Double, engagementRevisions: String
                let rows: [Int], steps: [Int], seconds: [Double], meanSeconds: Double, methods: [ConversionSweep.MethodSummary]
                let facts: [ClickLog.Facts], meanFacts: ClickLog.Facts?, lateCopyWeights: [Float]
                enum CodingKeys: String, CodingKey {
                    case source, seeds, window, refreshHours = "refresh_hours", engagementRevisions = "engagement_revisions", rows, steps, seconds
                    case lateCopyWeights = "late_copy_weights"
                    case meanSeconds = "mean_seconds", methods, facts, meanFacts = "mean_facts"
                }
            }
            try printJSON(Output(source: sweep.source, seeds: sweep.seeds, window: replayOptions.window, refreshHours: replayOptions.refreshHours,
                                 engagementRevisions: replayOptions.engagementRevisions.rawValue, rows: sweep.results.map(\.rows),
                                 steps: sweep.results.map(\.steps), seconds: sweep.results.map(\.seconds),
                                 meanSeconds: sweep.results.map(\.seconds).reduce(0, +) / Double(max(1, sweep.results.count)), methods: sweep.methods,
                                 facts: sweep.facts, meanFacts: ClickLog.Facts.mean(of: sweep.facts), lateCopyWeights: sweep.results.map(\.lateCopyWeight)))
            return
        }
        print("\(sweep.source): seeds \(seedValues.map(String.init).joined(separator: ",")), window \(replayOptions.window) h; mean ± sd; paired difference against the best other method (seeds better)")
        print("method       AUC              NLL              RI-NLL           AUC - best peer             NLL - best peer")
        for m in sweep.methods {
            func comparison(_ c: ConversionSweep.Comparison?) -> String {
                guard let c else { return "" }
                return "\(c.difference.formatted(digits: 4)) vs \(c.peer) (\(c.seedsBetter))"
            }
            print(m.method.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + m.auc.formatted(digits: 4) + "  " + m.nll.formatted(digits: 4)
                  + "  " + m.riNLL.formatted(digits: 3).padding(toLength: 15, withPad: " ", startingAt: 0) + "  "
                  + comparison(m.aucAgainstBestPeer).padding(toLength: 26, withPad: " ", startingAt: 0) + "  " + comparison(m.nllAgainstBestPeer))
        }
    }

    /// One log, one seed: the per-method table (and the JSON shape of earlier versions).
    func printSingle(_ sweep: ConversionSweep) throws {
        let result = sweep.results[0]
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
        print("\(sweep.source): \(result.rows) clicks, \(result.steps) hourly steps, window \(replayOptions.window) h")
        print("method       AUC     PR-AUC  NLL     RI-AUC  RI-PR   RI-NLL")
        for method in methods.methods {
            guard let r = result.methods[method] else { continue }
            print(method.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: " %.4f  %.4f  %.4f  %6.3f  %6.3f  %6.3f", r.auc, r.prAUC, r.nll, r.riAUC, r.riPRAUC, r.riNLL))
        }
    }
}
