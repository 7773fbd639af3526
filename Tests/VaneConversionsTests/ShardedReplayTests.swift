import Foundation
import Testing
import VaneLinear
import VaneTensor
@testable import VaneConversions

/// A rank of a pretend job whose other ranks' contributions are scripted: each collective adds (or
/// takes the extreme of) the next scripted vector, so a rank's side of the sharded arithmetic can be
/// checked by hand without a network.
struct ScriptedShards: ReplayShardContext {
    var rank = 0
    var ranks = 2
    /// What the other ranks add to each `sum` call, in call order.
    var peerSums: [[Double]] = []
    private(set) var calls = 0

    init(ranks: Int = 2, peerSums: [[Double]] = []) {
        self.ranks = ranks
        self.peerSums = peerSums
    }

    mutating func sum(_ values: inout [Double]) {
        if calls < peerSums.count { for k in values.indices { values[k] += peerSums[calls][k] } }
        calls += 1
    }
    func minimum(_ values: inout [Double]) {}
    func maximum(_ values: inout [Double]) {}
    func concatenate(_ values: [Double]) -> [Double] { values }
    func sum(_ gradient: LogisticGradient) -> LogisticGradient { gradient }
}

@Suite("Sharded replay")
struct ShardedReplayTests {
    @Test func shardsSplitTheClicksWithTheirConversionsAndEngagement() throws {
        let log = try ToyStream(seed: 1).log
        let shards = (0..<3).map { log.shard(rank: $0, of: 3) }
        #expect(shards.map(\.count).reduce(0, +) == log.count)
        #expect(shards.allSatisfy { abs(Double($0.count) - Double(log.count) / 3) < Double(log.count) * 0.02 })
        // Row k of shard r is the log's k-th row hashing to r, whole.
        for r in 0..<3 {
            let rows = (0..<log.count).filter { ClickLog.shard(ofRow: $0, ranks: 3) == r }
            #expect(shards[r].clickTimes == rows.map { log.clickTimes[$0] })
            #expect(shards[r].conversionTimes.elementsEqual(rows.map { log.conversionTimes[$0] }) { $0 == $1 || ($0.isNaN && $1.isNaN) })
            #expect(shards[r].features == log.features.selectingRows(rows))
            #expect(shards[r].source.hasSuffix("(shard \(r + 1) of 3)"))
        }
        #expect(log.shard(rank: 0, of: 1).clickTimes == log.clickTimes)
    }

    @Test func engagementTravelsWithItsClick() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-shard-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = ConversionSimulator.Configuration()
        configuration.clicks = 2_000
        configuration.days = 5
        _ = try ConversionSimulator(configuration: configuration).write(to: path, seed: 3)
        let log = try ClickLog.load(path: path, format: .vane)
        let shard = log.shard(rank: 1, of: 2)
        let rows = (0..<log.count).filter { ClickLog.shard(ofRow: $0, ranks: 2) == 1 }
        #expect(log.engagement.count > 0)
        for (k, i) in rows.enumerated() {
            #expect(shard.engagement.events(of: k).map { shard.engagement.times[$0] } == log.engagement.events(of: i).map { log.engagement.times[$0] })
            #expect(shard.engagement.events(of: k).map { shard.engagement.kinds[$0] } == log.engagement.events(of: i).map { log.engagement.kinds[$0] })
        }
    }

    @Test func oneRanksJobBatchesAreTheSingleProcessBatches() {
        for (count, regular) in [(13, 5), (5, nil), (4, 0), (0, nil), (700, 650)] as [(Int, Int?)] {
            var a = SeededGenerator(seed: 9), b = a
            var one = ScriptedShards(ranks: 1)
            let job = StreamReplay.jobBatches(count: count, regular: regular, batchSize: 64, using: &a, shards: &one)
            let local = StreamReplay.batches(count: count, regular: regular, batchSize: 64, using: &b)
            #expect(job == local)
        }
    }

    @Test func aRanksPartsAreItsShareOfTheJobsBatches() {
        // This rank: 100 samples; the other: 200. Job: 300 samples, batch 64 -> 5 batches, as one
        // process would cut; this rank's parts are 100 / 5 = 20 each.
        var generator = SeededGenerator(seed: 2)
        var shards = ScriptedShards(peerSums: [[200, 0], [40, 40, 40, 40, 40, 40, 40, 40, 40, 40]])
        let batches = StreamReplay.jobBatches(count: 100, regular: nil, batchSize: 64, using: &generator, shards: &shards)
        #expect(batches.map(\.indices.count) == [20, 20, 20, 20, 20])
        #expect(batches.map(\.jobSamples) == [60, 60, 60, 60, 60])
        #expect(batches.allSatisfy { $0.scale == 1 })
        #expect(Set(batches.flatMap(\.indices)) == Set(0..<100))
        // Correction pairs: the factor counts the job's samples, not this rank's.
        var again = SeededGenerator(seed: 2)
        var withPairs = ScriptedShards(peerSums: [[200, 0], [64, 64, 64, 64, 64, 64, 63, 63, 45, 45]])
        let corrected = StreamReplay.jobBatches(count: 104, regular: 100, batchSize: 64, using: &again, shards: &withPairs)
        #expect(corrected.map(\.indices.count).reduce(0, +) == 104)
        for batch in corrected {
            let pairs = batch.indices.filter { $0 >= 100 }.count / 2
            let total = batch.jobSamples, regularCount = total - 2 * pairs
            #expect(batch.scale == Float(total) / Float(max(regularCount, pairs, 1)))
        }
    }

    @Test func aShardedJobRefusesTheMLP() throws {
        var configuration = StreamReplay.Configuration()
        configuration.classifier = .mlp
        var shards = ScriptedShards()
        let log = try ToyStream(seed: 1).log
        #expect { _ = try StreamReplay(configuration: configuration).prepare(log, seed: 1, shards: &shards) } throws: { error in
            (error as? ConversionError)?.code == .invalidConfiguration && "\(error)".contains("MLP")
        }
    }
}
