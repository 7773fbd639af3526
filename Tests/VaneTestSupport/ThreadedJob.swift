import Foundation

/// A job of `ranks` threads whose collectives meet in memory: what a test uses in place of an MPI
/// job to run sharded code on several ranks in one process. Each test module builds its context
/// (`ReplayShardContext`, `DataParallelContext`) on `exchange`.
public final class ThreadedJob: @unchecked Sendable {
    // Safe to share across threads: every stored property is read and written only while `lock`
    // is held (the NSCondition below); `ranks` is immutable.
    private let lock = NSCondition()
    private var parts: [Any?]
    private var arrived = 0
    private var generation = 0
    private var delivered: [Any] = []
    public let ranks: Int

    public init(ranks: Int) {
        precondition(ranks >= 1, "ThreadedJob: at least one rank")
        self.ranks = ranks
        parts = Array(repeating: nil, count: ranks)
    }

    /// Every rank's `part`, in rank order, once all ranks have called (an all-gather). Every rank
    /// must call it the same number of times, with the same `T`, or the job waits.
    public func exchange<T>(rank: Int, _ part: T) -> [T] {
        lock.lock()
        defer { lock.unlock() }
        let mine = generation
        parts[rank] = part
        arrived += 1
        if arrived == ranks {
            delivered = parts.map { $0! }
            parts = Array(repeating: nil, count: ranks)
            arrived = 0
            generation += 1
            lock.broadcast()
        } else {
            while generation == mine { lock.wait() }
        }
        return delivered.map { $0 as! T }
    }

    /// `body(rank)` on every rank at once, each on its own thread (8 MiB stack); the results in rank order.
    public func run<T>(_ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = ResultSlots<T>(count: ranks)
        let group = DispatchGroup()
        for rank in 0..<ranks {
            group.enter()
            let thread = Thread {
                results.set(rank, body(rank))
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return results.values
    }
}

/// Results written by one thread each, read after all have finished.
final class ResultSlots<T>: @unchecked Sendable {
    // Safe: each slot is written by exactly one thread, and read only after every writer has left
    // the DispatchGroup the reader waits on (which orders the writes before the reads).
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { slots[index] = value }
    var values: [T] { slots.map { $0! } }
}
