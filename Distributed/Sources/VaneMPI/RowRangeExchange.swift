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

    /// Rows of `ids` (any order, repeats allowed), one per id in order, from the split matrix whose
    /// rows on this rank are `local` (ownRange.count x any width). Collective. Sends each distinct
    /// remote id once (4 bytes) and receives its row (width x 4 bytes).
    public func pull(_ ids: [Int32], from local: Matrix) throws(MPIError) -> Matrix {
        precondition(local.rows == ownRange.count, "pull: the local matrix must hold this rank's rows")
        precondition(ids.allSatisfy { $0 >= 0 && Int($0) < rows }, "pull: ids must be rows of the split matrix")
        let width = local.columns
        let (distinct, slots) = Self.deduplicate(ids)
        var requests = [[Int32]](repeating: [], count: communicator.size)
        var placed = [(rank: Int, position: Int)]()
        placed.reserveCapacity(distinct.count)
        for id in distinct {
            let r = owner(of: id)
            placed.append((r, requests[r].count))
            requests[r].append(id)
        }
        let asked = try communicator.exchange(requests)
        let base = ownRange.lowerBound
        // Rows are copied whole (one memory copy each), not element by element.
        let answers = local.values.withUnsafeBufferPointer { source in
            asked.map { ids in
                [Float](unsafeUninitializedCapacity: ids.count * width) { answer, count in
                    for (k, id) in ids.enumerated() {
                        let from = (Int(id) - base) * width
                        precondition(from >= 0 && from + width <= source.count, "pull: asked for a row this rank does not own")
                        (answer.baseAddress! + k * width).initialize(from: source.baseAddress! + from, count: width)
                    }
                    count = ids.count * width
                }
            }
        }
        let received = try communicator.exchange(answers, width: width)
        var result = Matrix(rows: ids.count, columns: width)
        guard width > 0 else { return result }
        result.values.withUnsafeMutableBufferPointer { output in
            for (i, slot) in slots.enumerated() {
                let (r, position) = placed[slot]
                received[r].withUnsafeBufferPointer { rows in
                    (output.baseAddress! + i * width).update(from: rows.baseAddress! + position * width, count: width)
                }
            }
        }
        return result
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
