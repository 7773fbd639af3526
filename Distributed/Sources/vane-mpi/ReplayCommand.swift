import ArgumentParser
import Foundation
import VaneConversions
import VaneMPI

extension ConversionSimulator.Scenario: @retroactive ExpressibleByArgument {}
extension ClickLog.Format: @retroactive ExpressibleByArgument {}

/// A comma-separated list of values, `--methods vanilla,oracle` or `--seeds 1,2,3`, spelled as `vane` spells them.
struct CommaSeparated<Element: ExpressibleByArgument & Hashable>: ExpressibleByArgument {
    let values: [Element]
    init?(argument: String) {
        let parsed = argument.split(separator: ",").map { Element(argument: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        values = parsed.compactMap { $0 }
        guard Set(values).count == values.count else { return nil }
    }
    init(_ values: [Element]) { self.values = values }
    var defaultValueDescription: String { values.map { "\($0)" }.joined(separator: ",") }
}

extension DelayedFeedbackMethod: @retroactive ExpressibleByArgument {}

/// `vane-mpi replay`: `vane conversions evaluate` with the clicks sharded over the ranks.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a click log hour by hour over the ranks (clicks sharded) and compare delayed-feedback methods.",
        discussion: """
        The protocol of `vane conversions evaluate`, data-parallel: every rank reads (or simulates) the
        log and keeps the clicks whose row hashes to it, each with its conversion and engagement, so a
        conversion always meets its click on one rank. The clock is the job's (start and end are a
        minimum and a maximum over ranks), so all ranks are at the same hour and none trains on what
        another has not reached. Each step every rank scores its clicks (the step's AUC, PR-AUC and
        NLL are computed over every rank's), then trains on its stream's samples in job-wide
        mini-batches: each rank's part is batch/ranks samples, the gradients are summed over ranks and
        every replica of the logistic model (and of the auxiliary models) takes the same Adam step.
        Rank 0 prints. The MLP replays in one process only.

        Example:
          mpirun -np 2 vane-mpi replay --scenario default --clicks 200000 --days 30 --seeds 1,2,3 --json
        """
    )

    @Option(name: [.customLong("log"), .customLong("events")], help: "Click log read by every rank (a file system every rank sees).")
    var log: String?

    @Option(help: "vane (CSV with header) or criteo (data.txt).")
    var format = ClickLog.Format.vane

    @Option(help: "Simulate each seed's log from a scenario instead of reading --log: \(ConversionSimulator.Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: ConversionSimulator.Scenario?

    @Option(help: "Clicks per simulated log (with --scenario).")
    var clicks = 300_000

    @Option(help: "Days per simulated log (with --scenario).")
    var days = 30

    @Option(help: "Comma-separated methods.")
    var methods = CommaSeparated(DelayedFeedbackMethod.allCases)

    @Option(help: "Waiting window in hours.")
    var window = 1.0

    @Option(help: "Hours between refreshes of the auxiliary models; 0 fits them once before the replay.")
    var refreshHours = StreamReplay.Configuration().auxiliaryRefreshHours

    @Option(help: "Comma-separated seeds (e.g. 1,2,3).")
    var seeds = CommaSeparated<UInt64>([1])

    @Flag(help: "Print one JSON object (rank 0).")
    var json = false

    func validate() throws {
        guard (log == nil) != (scenario == nil) else { throw ValidationError("--log or --scenario: name exactly one source of clicks") }
    }

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let rank = communicator.rank
        let (replay, source) = try communicator.setUpOnEveryRank { () throws(ValidationError) -> (StreamReplay, ConversionSweep.Source) in
            var configuration = StreamReplay.Configuration()
            configuration.windowHours = window
            configuration.auxiliaryRefreshHours = refreshHours
            let replay: StreamReplay
            do throws(ConversionError) { replay = try StreamReplay(configuration: configuration) } catch { throw ValidationError("--window/--refresh-hours: \(error.message)") }
            if let scenario {
                let simulation = scenario.configuration(clicks: clicks, days: days)
                do throws(ConversionError) { try simulation.validate() } catch { throw ValidationError("--clicks/--days: \(error.message)") }
                return (replay, .simulated(simulation, scenario: scenario.rawValue))
            }
            do { return (replay, .log(try ClickLog.load(path: log!, format: format))) } catch { throw ValidationError("--log: \(error)") }
        }
        var shards = MPIReplayContext(communicator: communicator)
        let started = Date()
        let sweep: ConversionSweep
        do {
            sweep = try ConversionSweep.run(source, methods: methods.values, seeds: seeds.values, replay: replay, shards: &shards) { index, count, status in
                if rank == 0, !json { print("[\(index + 1)/\(count)] \(status)") }
            }
        } catch let error as MPIError {
            throw ValidationError("rank \(rank): \(error.message)")
        } catch {
            throw ValidationError("rank \(rank): \(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        // What each rank did: its clicks, its time in collectives, its bytes.
        var perRank = [Double](repeating: 0, count: 3 * communicator.size)
        perRank[3 * rank] = shards.communicationSeconds
        perRank[3 * rank + 1] = Double(communicator.bytesSent)
        perRank[3 * rank + 2] = Double(communicator.bytesReceived)
        try communicator.allreduceSum(&perRank)
        guard rank == 0 else { return }
        let report = ReplayReport(
            source: sweep.source, ranks: communicator.size, seeds: sweep.seeds, rows: sweep.results.map(\.rows), steps: sweep.results.map(\.steps),
            seconds: seconds, communicationSeconds: stride(from: 0, to: perRank.count, by: 3).map { perRank[$0] },
            bytesSent: stride(from: 1, to: perRank.count, by: 3).map { perRank[$0] }, optimiserSteps: shards.gradientSums,
            methods: sweep.methods,
            results: sweep.results.map { result in
                Dictionary(uniqueKeysWithValues: result.methods.map { ($0.key.rawValue, ReplayReport.Metrics(auc: $0.value.auc, prAUC: $0.value.prAUC, nll: $0.value.nll)) })
            })
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print(String(format: "%@: %d ranks, %.1f s (rank 0: %.1f s in collectives), %d optimiser steps",
                     sweep.source, communicator.size, seconds, report.communicationSeconds[0], report.optimiserSteps))
        print("method       AUC              NLL")
        for m in sweep.methods {
            print(m.method.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + m.auc.formatted(digits: 4) + "  " + m.nll.formatted(digits: 4))
        }
    }
}

/// `vane-mpi replay --json`.
struct ReplayReport: Encodable {
    struct Metrics: Encodable {
        let auc: Double, prAUC: Double, nll: Double
        enum CodingKeys: String, CodingKey { case auc, prAUC = "pr_auc", nll }
    }
    let source: String
    let ranks: Int
    let seeds: [UInt64]
    let rows: [Int]
    let steps: [Int]
    let seconds: Double
    /// Per rank: seconds inside collectives.
    let communicationSeconds: [Double]
    /// Per rank: bytes sent to other ranks.
    let bytesSent: [Double]
    let optimiserSteps: Int
    let methods: [ConversionSweep.MethodSummary]
    /// Per seed: each method's metrics.
    let results: [[String: Metrics]]
    enum CodingKeys: String, CodingKey {
        case source, ranks, seeds, rows, steps, seconds, communicationSeconds = "communication_seconds", bytesSent = "bytes_sent"
        case optimiserSteps = "optimiser_steps", methods, results
    }
}
