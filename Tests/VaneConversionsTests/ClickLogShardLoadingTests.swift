import Foundation
import Testing
import VaneIO
import VaneLinear
@testable import VaneTabular
@testable import VaneConversions
import VaneTestSupport

/// The replay's collectives over a `ThreadedJob`.
struct ThreadedShards: ReplayShardContext {
    let job: ThreadedJob
    let rank: Int
    var ranks: Int { job.ranks }
    mutating func sum(_ values: inout [Double]) {
        let all = job.exchange(rank: rank, values)
        values = all.dropFirst().reduce(all[0]) { zip($0, $1).map(+) }
    }
    mutating func minimum(_ values: inout [Double]) {
        let all = job.exchange(rank: rank, values)
        values = all.dropFirst().reduce(all[0]) { zip($0, $1).map { min($0, $1) } }
    }
    mutating func maximum(_ values: inout [Double]) {
        let all = job.exchange(rank: rank, values)
        values = all.dropFirst().reduce(all[0]) { zip($0, $1).map { max($0, $1) } }
    }
    mutating func concatenate(_ values: [Double]) -> [Double] { job.exchange(rank: rank, values).flatMap { $0 } }
    mutating func sum(_ gradient: LogisticGradient) -> LogisticGradient { LogisticGradient(summing: job.exchange(rank: rank, gradient)) }
}

extension ThreadedJob {
    /// `body(rank, shards)` on every rank at once; the results in rank order.
    func run<T>(_ body: @escaping @Sendable (Int, inout ThreadedShards) -> T) -> [T] {
        run { rank in
            var shards = ThreadedShards(job: self, rank: rank)
            return body(rank, &shards)
        }
    }
}

@Suite("Click logs read by shard")
struct ClickLogShardLoadingTests {
    static func simulatedLog(clicks: Int = 3_000, format: ClickLog.Format = .vane) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-shard-load-\(UUID().uuidString).csv").path
        var configuration = ConversionSimulator.Configuration()
        configuration.clicks = clicks
        configuration.days = 5
        _ = try ConversionSimulator(configuration: configuration).write(to: path, seed: 4, format: format)
        return path
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-shard-load-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func sameTimes(_ a: [Double], _ b: [Double]) -> Bool {
        a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test(arguments: [ClickLog.Format.vane, .criteo])
    func eachRankReadsTheShardTheWholeLogWouldGiveIt(format: ClickLog.Format) throws {
        let path = try Self.simulatedLog(format: format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try ClickLog.load(path: path, format: format)
        let job = ThreadedJob(ranks: 3)
        let loaded = job.run { _, context in Result { try ClickLog.loadShard(path: path, format: format, shards: &context) } }
        for rank in 0..<3 {
            let shard = try loaded[rank].get(), expected = whole.shard(rank: rank, of: 3)
            #expect(shard.count == expected.count && shard.count > 0)
            #expect(shard.clickTimes == expected.clickTimes)
            #expect(Self.sameTimes(shard.conversionTimes, expected.conversionTimes))
            #expect(shard.engagement.times == expected.engagement.times && shard.engagement.kinds == expected.engagement.kinds)
            #expect(shard.source == expected.source)
            // The same encoder up to the order of float sums (Chan's merge against one two-pass sum).
            let (a, b) = (try #require(shard.encoder), try #require(expected.encoder))
            #expect(a.featureColumns == b.featureColumns && a.constantColumns == b.constantColumns)
            #expect(shard.features.rowOffsets == expected.features.rowOffsets && shard.features.columnIndices == expected.features.columnIndices)
            #expect(zip(shard.features.values, expected.features.values).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        }
        // The facts every rank computes are the whole log's.
        let facts = job.run { rank, context in
            (try? loaded[rank].get()).map { $0.facts(windowHours: 1, attributionHours: 336, shards: &context) }
        }
        let wholeFacts = whole.facts(windowHours: 1, attributionHours: 336)
        for fact in facts {
            let fact = try #require(fact)
            #expect(fact.clicks == wholeFacts.clicks && fact.medianDelayHours == wholeFacts.medianDelayHours)
            #expect(fact.p90DelayHours == wholeFacts.p90DelayHours && abs(fact.conversionRate - wholeFacts.conversionRate) < 1e-12)
            #expect(abs(fact.cartRateOfOthers - wholeFacts.cartRateOfOthers) < 1e-12 && abs(fact.eventsPerClick - wholeFacts.eventsPerClick) < 1e-12)
        }
    }

    @Test func oneRankReadsExactlyWhatLoadReads() throws {
        let path = try Self.simulatedLog(clicks: 1_500)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var local = LocalReplayContext()
        let one = try ClickLog.loadShard(path: path, format: .vane, shards: &local)
        let whole = try ClickLog.load(path: path, format: .vane)
        #expect(one.features == whole.features && one.encoder == whole.encoder && one.clickTimes == whole.clickTimes)
    }

    @Test func theRanksAgreeOnAColumnsTypeAndOnWhatVaries() throws {
        // Rows 0-5; `code` is a number on some rows and text on one, so it is categorical on every
        // rank; `tag` holds one value per rank but not one value overall, so it varies.
        let rows = (0..<6).map { i in "\(Double(i)),\(i == 4 ? "\(Double(i) + 0.5)" : ""),\(i == 5 ? "x7" : String(i)),t\(ClickLog.shard(ofRow: i, ranks: 2))" }
        let path = try Self.write("click_time,conversion_time,code,tag\n" + rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Both ranks hold rows, so the rank without row 5 sees `code` as numbers only.
        #expect(Set((0..<6).map { ClickLog.shard(ofRow: $0, ranks: 2) }).count == 2)
        let whole = try ClickLog.load(path: path, format: .vane)
        let loaded = ThreadedJob(ranks: 2).run { _, context in Result { try ClickLog.loadShard(path: path, format: .vane, shards: &context) } }
        for result in loaded {
            let encoder = try #require(try result.get().encoder)
            #expect(encoder == whole.encoder)
            #expect(encoder.featureColumns == ["code", "tag"])
        }
    }

    @Test func aBadLineStopsEveryRankAndItsOwnerNamesIt() throws {
        // Row 3's line (line 5 of the file) has a field too few; only its owner splits it.
        var lines = ["click_time,conversion_time,f"]
        for i in 0..<8 { lines.append(i == 3 ? "3.0,4.0" : "\(Double(i)),\(i % 2 == 0 ? "\(Double(i) + 1)" : ""),a\(i % 3)") }
        let path = try Self.write(lines.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let owner = ClickLog.shard(ofRow: 3, ranks: 2)
        let loaded = ThreadedJob(ranks: 2).run { _, context in Result { try ClickLog.loadShard(path: path, format: .vane, shards: &context) } }
        for (rank, result) in loaded.enumerated() {
            guard case .failure(let error) = result else { Issue.record("rank \(rank) read a log with a bad line"); continue }
            if rank == owner {
                let input = try #require(error as? InputError)
                #expect(input.code == .malformedLine && input.location?.line == 5, "\(input)")
            } else {
                #expect("\(error)".contains("rank \(owner) could not read"), "\(error)")
            }
        }
    }

    @Test func statisticsOfShardsMergeToTheWholes() throws {
        let values: [Double] = [1, 4, .nan, 9, 16, 2.5, -3, .nan, 7]
        let table = Table(source: "t", columnNames: ["x", "c", "label"],
                          columns: [.numeric(values), .categorical(codes: [0, 0, 0, 0, 1, 0, 0, 0, 0], levels: ["a", "b"]),
                                    .numeric(values)])
        let all = Array(values.indices)
        let whole = TableFeatureEncoder.Statistics(table: table, excluding: ["label"], rows: all)
        let parts = [[0, 3, 5], [1, 2], [], [4, 6, 7, 8]].map { TableFeatureEncoder.Statistics(table: table, excluding: ["label"], rows: $0) }
        let merged = TableFeatureEncoder.Statistics.merged(parts)
        #expect(merged.rows == whole.rows && merged.columnNames == ["x", "c"])
        guard case .numeric(let n, let mean, let squared) = merged.columns[0], case .numeric(let n0, let mean0, let squared0) = whole.columns[0] else {
            Issue.record("x is not numeric"); return
        }
        #expect(n == n0 && n == 7 && abs(mean - mean0) < 1e-12 && abs(squared - squared0) < 1e-9)
        #expect(merged.columns[1] == .categorical(.many))
        // A part on its own merges to itself; the flattened form travels exactly.
        #expect(TableFeatureEncoder.Statistics.merged([whole]) == whole)
        #expect(whole.parts(from: parts.flatMap(\.flattened)) == parts)
        #expect(whole.parts(from: [1, 2, 3]) == nil)
        // One level on each part, the same level: constant; `a` on one part and `b` on another: varies.
        let aOnly = TableFeatureEncoder.Statistics(table: table, excluding: ["label"], rows: [0, 1])
        let bOnly = TableFeatureEncoder.Statistics(table: table, excluding: ["label"], rows: [4])
        #expect(TableFeatureEncoder.Statistics.merged([aOnly, aOnly]).columns[1] == .categorical(.one(TableFeatureEncoder.Statistics.fingerprint("a"))))
        #expect(TableFeatureEncoder.Statistics.merged([aOnly, bOnly]).columns[1] == .categorical(.many))
        #expect(TableFeatureEncoder(statistics: whole) == TableFeatureEncoder(table: table, excluding: ["label"], rows: all))
    }
}
