import VaneTensor

/// Rows of a matrix split row-wise over the ranks of a job by contiguous id ranges (rank r holds
/// ids offsets[r] ..< offsets[r + 1]), fetched by id wherever they live: the communication of a
/// `ShardedEmbeddingTable`'s `pull`, for any matrix split the same way (e.g. one layer's node
/// states during sharded inference, after the tables are freed).
/// Collective: every rank calls `pull` in the same sequence. Not `Sendable` (MPI thread).
public struct RowRangeExchange {
    /// Rank r owns global ids offsets[r] ..< offsets[r + 1].
    public let offsets: [Int]
    public let communicator: Communicator

    /// `offsets`: size + 1 non-decreasing values from 0 to the row count.
    public init(offsets: [Int], communicator: Communicator) {
        precondition(offsets.count == communicator.size + 1 && offsets.first == 0
                     && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "RowRangeExchange: offsets must cover the rows in order")
        self.offsets = offsets
        self.communicator = communicator
    }

    /// Rows in the whole split matrix.
    public var rows: Int { offsets.last! }
    /// This rank's id range.
    public var ownRange: Range<Int> { offsets[communicator.rank]..<offsets[communicator.rank + 1] }

    /// The rank owning global id `id`. O(log ranks).
    public func owner(of id: Int32) -> Int {
        var low = 0, high = offsets.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if offsets[mid] <= Int(id) { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Where the rows of one list of ids come from and go to: made once by `plan(_:)` (which sends
    /// the ids to their owners), then used by any number of `pull(_:from:)`s, each of which moves
    /// rows only. Valid for the exchange that made it and any matrix split as it is, of any width.
    public struct Plan: Sendable {
        /// Rows of the result (the planned ids, repeats included).
        public let count: Int
        /// The planning rank's own rows (its range's length): every row index below refers to them.
        let ownRows: Int
        /// Local rows (id minus the range start) this rank sends, to rank 0 first, then rank 1, ...
        let sendRows: [Int32]
        let sendCounts: [Int32]
        let receiveCounts: [Int32]
        /// Per result row: its row in the received rows, or -(local row + 1) when this rank owns it.
        let sources: [Int32]
        /// Distinct ids owned elsewhere: the rows each pull receives.
        public var remoteRows: Int { Int(receiveCounts.reduce(0, +)) }
    }

    /// Plans pulls of `ids` (any order, repeats allowed). Collective: sends each distinct remote id
    /// once (4 bytes) to its owner. O(ids) plus one exchange of ids.
    public func plan(_ ids: [Int32]) throws(MPIError) -> Plan {
        precondition(ids.allSatisfy { $0 >= 0 && Int($0) < rows }, "pull: ids must be rows of the split matrix")
        let (distinct, slots) = Self.deduplicate(ids)
        let me = communicator.rank, base = ownRange.lowerBound
        var requests = [[Int32]](repeating: [], count: communicator.size)
        // Per distinct id: -(local row + 1) if owned here, else (owner, position among its requests).
        var placed = [(rank: Int, position: Int)]()
        placed.reserveCapacity(distinct.count)
        for id in distinct {
            let r = owner(of: id)
            if r == me { placed.append((r, Int(id) - base)) } else {
                placed.append((r, requests[r].count))
                requests[r].append(id)
            }
        }
        let asked = try communicator.exchange(requests)
        var sendRows: [Int32] = []
        sendRows.reserveCapacity(asked.reduce(0) { $0 + $1.count })
        for (r, ids) in asked.enumerated() {
            precondition(r != me || ids.isEmpty, "pull: a rank asked itself for rows")
            for id in ids {
                precondition(ownRange.contains(Int(id)), "pull: asked for a row this rank does not own")
                sendRows.append(id - Int32(base))
            }
        }
        var receiveStart = [Int](repeating: 0, count: communicator.size)
        for r in 1..<max(communicator.size, 1) { receiveStart[r] = receiveStart[r - 1] + requests[r - 1].count }
        _ = try Communicator.count(receiveStart.last! + requests.last!.count, "pulled rows")
        let sources = slots.map { slot -> Int32 in
            let (r, position) = placed[slot]
            return r == me ? -Int32(position) - 1 : Int32(receiveStart[r] + position)
        }
        return Plan(count: ids.count, ownRows: ownRange.count, sendRows: sendRows, sendCounts: try asked.map { ids throws(MPIError) in try Communicator.count(ids.count, "pull") },
                    receiveCounts: requests.map { Int32($0.count) }, sources: sources)
    }

    /// Rows of the planned ids, one per id in order, from the split matrix whose rows on this rank
    /// are `local` (ownRange.count x any width). Collective (every rank pulls with its own plan):
    /// one exchange of rows; rows this rank owns are copied, not sent. O(plan.count x width).
    public func pull(_ plan: Plan, from local: Matrix) throws(MPIError) -> Matrix {
        precondition(local.rows == ownRange.count, "pull: the local matrix must hold this rank's rows")
        precondition(plan.ownRows == ownRange.count && plan.sendCounts.count == communicator.size, "pull: the plan was made by another exchange")
        let width = local.columns
        var result = Matrix(rows: plan.count, columns: width)
        guard width > 0 else { return result }
        // Rows are copied whole (one memory copy each), not element by element.
        let send = local.values.withUnsafeBufferPointer { source in
            [Float](unsafeUninitializedCapacity: plan.sendRows.count * width) { buffer, count in
                for (k, row) in plan.sendRows.enumerated() {
                    (buffer.baseAddress! + k * width).initialize(from: source.baseAddress! + Int(row) * width, count: width)
                }
                count = plan.sendRows.count * width
            }
        }
        var received = [Float](repeating: 0, count: plan.remoteRows * width)
        if communicator.size > 1 {
            try send.withUnsafeBufferPointer { (input) throws(MPIError) in
                try received.withUnsafeMutableBufferPointer { (output) throws(MPIError) in
                    try communicator.exchangeRows(input, counts: plan.sendCounts, into: output, counts: plan.receiveCounts, width: width)
                }
            }
        }
        local.values.withUnsafeBufferPointer { own in
            received.withUnsafeBufferPointer { remote in
                result.values.withUnsafeMutableBufferPointer { output in
                    for (i, source) in plan.sources.enumerated() {
                        let from = source < 0 ? own.baseAddress! + Int(-source - 1) * width : remote.baseAddress! + Int(source) * width
                        (output.baseAddress! + i * width).update(from: from, count: width)
                    }
                }
            }
        }
        return result
    }

    /// Rows of `ids` (any order, repeats allowed), one per id in order, from the split matrix whose
    /// rows on this rank are `local` (ownRange.count x any width): `pull(plan(ids), from: local)`.
    /// Collective. Sends each distinct remote id once (4 bytes) and receives its row (width x 4 bytes).
    public func pull(_ ids: [Int32], from local: Matrix) throws(MPIError) -> Matrix {
        try pull(try plan(ids), from: local)
    }

    /// Distinct ids in order of first appearance, and each position's slot among them. O(ids).
    static func deduplicate(_ ids: [Int32]) -> (distinct: [Int32], slots: [Int]) {
        var slotOf: [Int32: Int] = [:]
        slotOf.reserveCapacity(ids.count)
        var distinct: [Int32] = [], slots: [Int] = []
        slots.reserveCapacity(ids.count)
        for id in ids {
            if let slot = slotOf[id] { slots.append(slot) } else {
                slotOf[id] = distinct.count
                slots.append(distinct.count)
                distinct.append(id)
            }
        }
        return (distinct, slots)
    }
}
