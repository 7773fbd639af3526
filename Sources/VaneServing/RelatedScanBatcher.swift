import Synchronization
import VaneRelated

/// Gathers concurrent exact related-items scans into one batched GEMM.
///
/// A request that cannot be answered from the index waits here; whenever no batch is running, one
/// task takes every waiting query (up to `maximumBatch`) and answers them with a single
/// `ServingModels.exactTopTargets(for:)` call (the 8-bit `CompactTargetScan`, or the float32 GEMM),
/// which reads the target embeddings once for the whole batch. Queries that arrive meanwhile form the next batch. Nothing waits on a timer: a lone
/// request is scanned at once (the added latency is one task hop), and under load batches grow by
/// themselves to the number of requests that arrived during one scan. Queries of different model
/// versions (around a reload) are answered by their own model, in separate GEMMs.
public final class RelatedScanBatcher: Sendable {
    public typealias Answer = [(index: Int32, score: Float)]

    /// Most queries in one GEMM (bounds the score block: `maximumBatch` x items floats).
    public let maximumBatch: Int
    private let onBatch: @Sendable (Int, CompactTargetScan.Statistics?) -> Void

    struct Waiting {
        let models: ServingModels
        let query: TopTargetsQuery
        let continuation: CheckedContinuation<Answer, Never>
    }

    struct State {
        var waiting: [Waiting] = []
        var draining = false
    }

    private let state = Mutex(State())

    /// `onBatch` is told the size of every batch and, for 8-bit scans, what they did (metrics).
    public init(maximumBatch: Int = 64, onBatch: @escaping @Sendable (Int, CompactTargetScan.Statistics?) -> Void = { _, _ in }) {
        precondition(maximumBatch >= 1, "RelatedScanBatcher: maximumBatch must be at least 1")
        self.maximumBatch = maximumBatch
        self.onBatch = onBatch
    }

    /// The exact answer to `query` against the related model of `models`, computed in a batch with
    /// whatever other queries of the same set are waiting. The query must be valid for the model
    /// (`topTargets(for:)`'s precondition).
    public func topTargets(for query: TopTargetsQuery, models: ServingModels) async -> Answer {
        await withCheckedContinuation { continuation in
            let startsDrain = state.withLock { state in
                state.waiting.append(Waiting(models: models, query: query, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startsDrain { Task.detached { self.drain() } }
        }
    }

    /// Answers batches until nobody waits.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                guard !state.waiting.isEmpty else {
                    state.draining = false
                    return []
                }
                let taken = Array(state.waiting.prefix(maximumBatch))
                state.waiting.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            for version in Set(batch.map(\.models.version)).sorted() {
                let group = batch.filter { $0.models.version == version }
                let (answers, statistics) = group[0].models.exactTopTargets(for: group.map(\.query))
                onBatch(group.count, statistics)
                for (waiting, answer) in zip(group, answers) { waiting.continuation.resume(returning: answer) }
            }
        }
    }
}
