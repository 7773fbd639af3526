import Foundation
import VaneMetrics

/// A replay of several delayed-feedback methods over seeds: per metric the mean and standard
/// deviation, and every method's paired differences against the best peer (the best other
/// non-oracle method by mean, per metric). With a simulator scenario each seed draws its own log
/// (data and training both vary); with a fixed log only the training seed varies.
///
/// O(seeds x (simulation + methods x replay)).
public struct ConversionSweep: Sendable {
    /// Where each seed's log comes from.
    public enum Source: Sendable {
        /// One log for every seed.
        case log(ClickLog)
        /// One log for every seed, read from a file: in a sharded job each rank reads only its shard's
        /// rows (`ClickLog.loadShard`).
        case file(path: String, format: ClickLog.Format)
        /// A fresh simulated log per seed, written and read in `format` (`.criteo`: no engagement).
        case simulated(ConversionSimulator.Configuration, scenario: String, format: ClickLog.Format = .vane)
    }

    /// One metric of one method against its best peer.
    public struct Comparison: Sendable, Codable, Equatable {
        public let peer: String
        /// Paired differences self - peer by seed.
        public let difference: SeedSummary
        /// Seeds where self is better (lower NLL, higher AUC / PR-AUC).
        public let seedsBetter: Int
    }

    public struct MethodSummary: Sendable, Codable, Equatable {
        public let method: String
        public let auc: SeedSummary
        public let prAUC: SeedSummary
        public let nll: SeedSummary
        public let riAUC: SeedSummary
        public let riNLL: SeedSummary
        /// Against the best other non-oracle method; nil for the oracle and when no peer was run.
        public let aucAgainstBestPeer: Comparison?
        public let nllAgainstBestPeer: Comparison?
    }

    public let seeds: [UInt64]
    public let source: String
    public let methods: [MethodSummary]
    /// Replay results per seed, in seed order.
    public let results: [StreamReplay.Result]
    /// Each seed's log, described (rate, delays, engagement).
    public let facts: [ClickLog.Facts]

    /// Runs `methods` for each seed; `progress(seedIndex, seedCount, status)` reports each seed.
    public static func run(_ source: Source, methods: [DelayedFeedbackMethod], seeds: [UInt64], replay: StreamReplay,
                           progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> ConversionSweep {
        var local = LocalReplayContext()
        return try run(source, methods: methods, seeds: seeds, replay: replay, shards: &local, progress: progress)
    }

    /// `run` for one rank of a sharded job: every rank keeps its shard of each seed's log
    /// (`ClickLog.shard(rank:of:)`'s clicks) and replays it with the others; every rank returns the
    /// job's sweep. A `.file` log is read once, each rank building only its own rows
    /// (`ClickLog.loadShard`); a simulated log is written whole by every rank, then read the same
    /// way. The facts are the whole log's (`ClickLog.facts(windowHours:attributionHours:shards:)`).
    /// Collective.
    public static func run<Shards: ReplayShardContext>(_ source: Source, methods: [DelayedFeedbackMethod], seeds: [UInt64], replay: StreamReplay,
                                                       shards: inout Shards,
                                                       progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> ConversionSweep {
        guard !seeds.isEmpty else { throw ConversionError(.invalidConfiguration, "name at least one seed") }
        guard !methods.isEmpty else { throw ConversionError(.invalidConfiguration, "name at least one method") }
        var results: [StreamReplay.Result] = [], facts: [ClickLog.Facts] = []
        var name = "", fileShard: ClickLog?
        if case .file(let path, let format) = source {
            progress(0, seeds.count, "reading \(path)")
            fileShard = try ClickLog.loadShard(path: path, format: format, shards: &shards)
            name = path
        }
        for (index, seed) in seeds.enumerated() {
            let shard: ClickLog
            switch source {
            case .log(let fixed):
                name = fixed.source
                shard = fixed.shard(rank: shards.rank, of: shards.ranks)
            case .file:
                shard = fileShard!
            case .simulated(let configuration, let scenario, let format):
                name = "simulated \(scenario), \(configuration.clicks) clicks over \(configuration.days) days" + (format == .criteo ? ", Criteo format" : "")
                progress(index, seeds.count, "seed \(seed): simulating")
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-sweep-\(getpid())-\(seed)-\(shards.rank).csv").path
                defer { try? FileManager.default.removeItem(atPath: path) }
                // A rank that failed alone must not leave the others waiting in the replay's collectives.
                _ = try shards.agreeing("simulate seed \(seed)'s log") { try ConversionSimulator(configuration: configuration).write(to: path, seed: seed, format: format) }
                shard = try ClickLog.loadShard(path: path, format: format, shards: &shards)
            }
            progress(index, seeds.count, "seed \(seed): replaying")
            results.append(try replay.run(shard, methods: methods, seed: seed, shards: &shards))
            facts.append(try shard.facts(windowHours: replay.configuration.windowHours, attributionHours: replay.configuration.attributionHours,
                                         shards: &shards))
        }
        return ConversionSweep(seeds: seeds, source: name, methods: summaries(methods, results), results: results, facts: facts)
    }

    static func summaries(_ methods: [DelayedFeedbackMethod], _ results: [StreamReplay.Result]) -> [MethodSummary] {
        func summary(_ method: DelayedFeedbackMethod, _ metric: (StreamReplay.MethodResult) -> Double) -> SeedSummary {
            SeedSummary(results.map { metric($0.methods[method]!) })
        }
        func against(_ method: DelayedFeedbackMethod, _ metric: (StreamReplay.MethodResult) -> Double, lowerIsBetter: Bool) -> Comparison? {
            guard method != .oracle else { return nil }
            let peers = methods.filter { $0 != method && $0 != .oracle }
            let means = peers.map { (method: $0, mean: summary($0, metric).mean) }
            guard let best = lowerIsBetter ? means.min(by: { $0.mean < $1.mean }) : means.max(by: { $0.mean < $1.mean }) else { return nil }
            let (difference, higher) = summary(method, metric).paired(minus: summary(best.method, metric))
            let lower = difference.values.filter { $0 < 0 }.count
            return Comparison(peer: best.method.rawValue, difference: difference, seedsBetter: lowerIsBetter ? lower : higher)
        }
        return methods.map { m in
            MethodSummary(method: m.rawValue, auc: summary(m, \.auc), prAUC: summary(m, \.prAUC), nll: summary(m, \.nll),
                          riAUC: summary(m, \.riAUC), riNLL: summary(m, \.riNLL),
                          aucAgainstBestPeer: against(m, \.auc, lowerIsBetter: false), nllAgainstBestPeer: against(m, \.nll, lowerIsBetter: true))
        }
    }
}
