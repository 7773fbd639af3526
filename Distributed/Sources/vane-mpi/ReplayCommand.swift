import ArgumentParser
import Foundation
import VaneConversions
import VaneMetrics
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
        The protocol of `vane conversions evaluate`, data-parallel: every rank reads the log (or \
        simulates it whole) and builds only the clicks whose row hashes to it, each with its conversion \
        and engagement, so a conversion always meets its click on one rank; the ranks agree on each \
        column's type and the feature statistics, so every rank encodes as one process would. The clock is the job's (start and end are a \
        minimum and a maximum over ranks), so all ranks are at the same hour and none trains on what \
        another has not reached. Each step every rank scores its clicks (the step's AUC, PR-AUC and \
        NLL are computed over every rank's), then trains on its stream's samples in job-wide \
        mini-batches: each rank's part is batch/ranks samples, the gradients are summed over ranks and \
        every replica of the logistic model (and of the auxiliary models) takes the same Adam step. \
        Rank 0 prints. The MLP replays in one process only.

        Example:
          mpirun -np 2 vane-mpi replay --scenario default --clicks 200000 --days 30 --seeds 1,2,3 --json
        """
    )

    @Option(name: [.customLong("log"), .customLong("events")], help: "Click log every rank reads its shard of (a file system every rank sees).")
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

    @Option(help: "An earlier `vane-mpi replay --json` output (e.g. on 1 rank) over the same log and seeds: report each method's paired differences against it.")
    var reference: String?

    @Flag(help: "Print one JSON object (rank 0).")
    var json = false

    func validate() throws {
        guard (log == nil) != (scenario == nil) else { throw ValidationError("--log or --scenario: name exactly one source of clicks") }
    }

    /// The reference run's per-seed metrics, checked against this run's seeds.
    func referenceResults() throws -> ReplayReport.Reference? {
        guard let reference else { return nil }
        let decoded: ReplayReport.Reference
        do {
            let text = try String(contentsOfFile: reference, encoding: .utf8)
            let line = text.split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
            decoded = try JSONDecoder().decode(ReplayReport.Reference.self, from: Data(line.utf8))
        } catch { throw ValidationError("--reference: \(reference) is not a vane-mpi replay --json output: \(error)") }
        guard decoded.seeds == seeds.values else {
            throw ValidationError("--reference: its seeds \(decoded.seeds) differ from --seeds \(seeds.values)")
        }
        for method in methods.values where decoded.results.contains(where: { $0[method.rawValue] == nil }) {
            throw ValidationError("--reference: it has no results for method \(method.rawValue)")
        }
        return decoded
    }

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let rank = communicator.rank
        let (replay, source, referenceRun) = try communicator.setUpOnEveryRank {
            () throws(ValidationError) -> (StreamReplay, ConversionSweep.Source, ReplayReport.Reference?) in
            let referenceRun: ReplayReport.Reference?
            do { referenceRun = try referenceResults() } catch let error as ValidationError { throw error } catch { throw ValidationError("--reference: \(error)") }
            var configuration = StreamReplay.Configuration()
            configuration.windowHours = window
            configuration.auxiliaryRefreshHours = refreshHours
            let replay: StreamReplay
            do throws(ConversionError) { replay = try StreamReplay(configuration: configuration) } catch { throw ValidationError("--window/--refresh-hours: \(error.message)") }
            if let scenario {
                let simulation = scenario.configuration(clicks: clicks, days: days)
                do throws(ConversionError) { try simulation.validate() } catch { throw ValidationError("--clicks/--days: \(error.message)") }
                return (replay, .simulated(simulation, scenario: scenario.rawValue), referenceRun)
            }
            // Each rank reads its own shard's rows in the sweep (collectively); a file no rank can open
            // is named here, with the flag.
            guard FileManager.default.isReadableFile(atPath: log!) else { throw ValidationError("--log: \(log!) cannot be read (no such file, or no permission)") }
            return (replay, .file(path: log!, format: format), referenceRun)
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
        // What each rank did: its time in collectives, its bytes, its peak memory.
        var perRank = [Double](repeating: 0, count: 4 * communicator.size)
        perRank[4 * rank] = shards.communicationSeconds
        perRank[4 * rank + 1] = Double(communicator.bytesSent)
        perRank[4 * rank + 2] = Double(communicator.bytesReceived)
        perRank[4 * rank + 3] = peakResidentMegabytes()
        try communicator.allreduceSum(&perRank)
        func column(_ k: Int) -> [Double] { stride(from: k, to: perRank.count, by: 4).map { perRank[$0] } }
        guard rank == 0 else { return }
        let results = sweep.results.map { result in
            Dictionary(uniqueKeysWithValues: result.methods.map { ($0.key.rawValue, ReplayReport.Metrics(auc: $0.value.auc, prAUC: $0.value.prAUC, nll: $0.value.nll)) })
        }
        let against = referenceRun.map { reference in
            Dictionary(uniqueKeysWithValues: methods.values.map { method -> (String, ReplayReport.Difference) in
                func paired(_ metric: (ReplayReport.Metrics) -> Double) -> SeedSummary {
                    SeedSummary(results.map { metric($0[method.rawValue]!) }).paired(minus: SeedSummary(reference.results.map { metric($0[method.rawValue]!) })).difference
                }
                return (method.rawValue, ReplayReport.Difference(auc: paired(\.auc), nll: paired(\.nll)))
            })
        }
        let report = ReplayReport(
            source: sweep.source, ranks: communicator.size, seeds: sweep.seeds, rows: sweep.results.map(\.rows), steps: sweep.results.map(\.steps),
            seconds: seconds, replaySeconds: sweep.results.map(\.seconds), communicationSeconds: column(0), bytesSent: column(1), peakResidentMB: column(3),
            optimiserSteps: shards.gradientSums,
            methods: sweep.methods, results: results, referenceRanks: referenceRun?.ranks, againstReference: against)
        if json {
            try printOneLineJSON(report)
            return
        }
        print(String(format: "%@: %d ranks, %.1f s (rank 0: %.1f s in collectives), %d optimiser steps",
                     sweep.source, communicator.size, seconds, report.communicationSeconds[0], report.optimiserSteps))
        print("method       AUC              NLL" + (against == nil ? "" : "              AUC - reference   NLL - reference"))
        for m in sweep.methods {
            let difference = against?[m.method].map { "  " + $0.auc.formatted(digits: 5) + "  " + $0.nll.formatted(digits: 5) } ?? ""
            print(m.method.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + m.auc.formatted(digits: 4) + "  " + m.nll.formatted(digits: 4) + difference)
        }
    }
}

/// `vane-mpi replay --json`.
struct ReplayReport: Encodable {
    struct Metrics: Codable {
        let auc: Double, prAUC: Double, nll: Double
        enum CodingKeys: String, CodingKey { case auc, prAUC = "pr_auc", nll }
    }
    let source: String
    let ranks: Int
    let seeds: [UInt64]
    let rows: [Int]
    let steps: [Int]
    let seconds: Double
    /// Per seed: seconds of the replay itself (preparation and every method), without reading or
    /// simulating the log.
    let replaySeconds: [Double]
    /// Per rank: seconds inside collectives.
    let communicationSeconds: [Double]
    /// Per rank: bytes sent to other ranks.
    let bytesSent: [Double]
    /// Per rank: peak resident memory, MB.
    let peakResidentMB: [Double]
    let optimiserSteps: Int
    let methods: [ConversionSweep.MethodSummary]
    /// Per seed: each method's metrics.
    let results: [[String: Metrics]]
    /// The reference run's ranks and, per method, this run minus it, paired by seed.
    let referenceRanks: Int?
    let againstReference: [String: Difference]?

    struct Difference: Encodable {
        let auc: SeedSummary, nll: SeedSummary
    }

    /// What `--reference` reads back from an earlier report.
    struct Reference: Decodable {
        let ranks: Int
        let seeds: [UInt64]
        let results: [[String: Metrics]]
    }

    enum CodingKeys: String, CodingKey {
        case source, ranks, seeds, rows, steps, seconds, replaySeconds = "replay_seconds", communicationSeconds = "communication_seconds", bytesSent = "bytes_sent"
        case peakResidentMB = "peak_resident_mb"
        case optimiserSteps = "optimiser_steps", methods, results, referenceRanks = "reference_ranks", againstReference = "against_reference"
    }
}
