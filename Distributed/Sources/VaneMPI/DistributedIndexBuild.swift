import Foundation
import VaneRelated

/// The top-targets index of a saved model built by every rank of an MPI job: each rank loads the
/// model, computes the lists of its contiguous shard of sources, whole batches of
/// `RelatedItemModel.scoringBatchSize` (`RelatedItemModel.topTargets(ofSourcesIn:)`: all-pairs scoring
/// is O(items^2 x dimension), the part of serving preparation that outgrows one machine first), and rank 0 gathers the shards, assembles the index (checked like a file) and writes
/// `top-targets.bin`: the same bytes as `RelatedItemIndex.build(forModelIn:)` in one process.
///
/// Per rank: the model (every target embedding is needed to score a source) and its shard's lists;
/// traffic: one gather of (sources + 2 x entries) x 4 bytes to rank 0.
public enum DistributedIndexBuild {
    public struct Report: Sendable {
        public let items: Int
        public let count: Int
        public let byteCount: Int
        public let shardSeconds: Double
        public let gatherSeconds: Double
    }

    /// Runs the build on this rank; returns the report on rank 0, nil on the others. A rank that
    /// cannot load the model makes every rank stop (no rank is left waiting in a collective).
    public static func run(modelDirectory: String, count: Int, communicator: Communicator,
                           progress: ((Int, Int) -> Void)? = nil) throws -> Report? {
        let model: RelatedItemModel
        do {
            model = try RelatedItemModel.load(from: modelDirectory)
            try communicator.agree(failed: false, what: "loading the model")
        } catch let error as RelatedError {
            try? communicator.agree(failed: true, what: "loading the model")
            throw error
        }
        guard (1...RelatedItemIndex.maximumCount).contains(count) else {
            throw RelatedError(.invalidConfiguration, "index count must be 1 to \(RelatedItemIndex.maximumCount), got \(count)", field: "count")
        }
        // Shards of whole scoring batches, so every rank makes the very GEMM calls one process makes
        // for its sources and the bytes match on any CPU (a shard boundary inside a batch changed the
        // blocks' shapes, and OpenBLAS's rounding with them).
        let batch = RelatedItemModel.scoringBatchSize
        let plan = ShardPlan(count: (model.itemCount + batch - 1) / batch, ranks: communicator.size)
        let batches = plan.range(of: communicator.rank)
        let range = min(batches.lowerBound * batch, model.itemCount)..<min(batches.upperBound * batch, model.itemCount)
        let started = Date()
        let lists = model.topTargets(ofSourcesIn: range, count: count) { progress?($0, range.count) }
        let shardSeconds = Date().timeIntervalSince(started)
        var lengths: [Int32] = [], targets: [Int32] = [], scores: [Float] = []
        lengths.reserveCapacity(lists.count)
        for list in lists {
            lengths.append(Int32(list.count))
            for entry in list {
                targets.append(entry.index)
                scores.append(entry.score)
            }
        }
        let gatherStart = Date()
        let allLengths = try communicator.gatherVariable(lengths)
        let allTargets = try communicator.gatherVariable(targets)
        let allScores = try communicator.gatherVariable(scores)
        let gatherSeconds = Date().timeIntervalSince(gatherStart)
        guard communicator.rank == 0 else { return nil }
        var assembled: [[(index: Int32, score: Float)]] = []
        assembled.reserveCapacity(model.itemCount)
        var entry = 0
        for length in allLengths {
            assembled.append((entry..<(entry + Int(length))).map { (index: allTargets[$0], score: allScores[$0]) })
            entry += Int(length)
        }
        let index = try RelatedItemIndex(lists: assembled, count: count, for: model)
        try index.write(to: URL(fileURLWithPath: modelDirectory).appendingPathComponent(RelatedItemIndex.fileName).path)
        return Report(items: model.itemCount, count: count, byteCount: index.byteCount, shardSeconds: shardSeconds, gatherSeconds: gatherSeconds)
    }
}
