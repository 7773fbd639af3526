import CMPI

/// The ranks of one `mpirun` job (`MPI_COMM_WORLD`), with the few collectives Vane uses.
///
/// MPI is initialised with `MPI_THREAD_FUNNELED`: every call must come from the thread that created
/// the communicator (the main thread of a synchronous command), never from Swift's cooperative pool,
/// so the type is deliberately not `Sendable`. Errors return (`MPI_ERRORS_RETURN`) instead of
/// aborting, and become `MPIError`s naming the call. Counts are MPI's `Int32`: collectives check
/// them and refuse (`countOverflow`) rather than wrap.
public final class Communicator {
    public let rank: Int
    public let size: Int
    private var finalized = false
    /// Bytes this rank sent to, and received from, other ranks through `exchange` (its own part
    /// excluded): what the job moved over the network, for per-step volume reports.
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0

    /// Initialises MPI (once per process) and reads this process's rank and the job's size.
    public init() throws(MPIError) {
        var provided: Int32 = 0
        var argc: Int32 = 0
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        try Self.check(MPI_Init_thread(&argc, &argv, vane_mpi_thread_funneled(), &provided), "MPI_Init_thread")
        guard provided >= vane_mpi_thread_funneled() else {
            throw MPIError(.callFailed, "MPI_Init_thread: this MPI provides thread level \(provided), Vane needs MPI_THREAD_FUNNELED")
        }
        try Self.check(MPI_Comm_set_errhandler(vane_mpi_comm_world(), vane_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check(MPI_Comm_rank(vane_mpi_comm_world(), &rank), "MPI_Comm_rank")
        try Self.check(MPI_Comm_size(vane_mpi_comm_world(), &size), "MPI_Comm_size")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    deinit { finalize() }

    /// Ends MPI for this process (also done when the communicator is released).
    public func finalize() {
        guard !finalized else { return }
        finalized = true
        MPI_Finalize()
    }

    static func check(_ status: Int32, _ call: String) throws(MPIError) {
        guard status == vane_mpi_success() else {
            var length: Int32 = 0
            var text = [CChar](repeating: 0, count: 512)
            MPI_Error_string(status, &text, &length)
            throw MPIError(.callFailed, "\(call) failed: \(String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
    }

    static func count(_ value: Int, _ what: String) throws(MPIError) -> Int32 {
        guard let count = Int32(exactly: value) else {
            throw MPIError(.countOverflow, "\(what): \(value) elements exceed MPI's 32-bit counts; use more ranks")
        }
        return count
    }

    public func barrier() throws(MPIError) {
        try Self.check(MPI_Barrier(vane_mpi_comm_world()), "MPI_Barrier")
    }

    /// Element-wise sum over ranks, in place on every rank.
    public func allreduceSum(_ values: inout [Double]) throws(MPIError) {
        let n = try Self.count(values.count, "allreduce")
        let status = values.withUnsafeMutableBufferPointer {
            MPI_Allreduce(vane_mpi_in_place(), $0.baseAddress, n, vane_mpi_double(), vane_mpi_sum(), vane_mpi_comm_world())
        }
        try Self.check(status, "MPI_Allreduce")
    }

    /// Element-wise sum over ranks, in place on every rank.
    public func allreduceSum(_ values: inout [Float]) throws(MPIError) {
        let n = try Self.count(values.count, "allreduce")
        let status = values.withUnsafeMutableBufferPointer {
            MPI_Allreduce(vane_mpi_in_place(), $0.baseAddress, n, vane_mpi_float(), vane_mpi_sum(), vane_mpi_comm_world())
        }
        try Self.check(status, "MPI_Allreduce")
    }

    /// Element-wise minimum over ranks, in place on every rank.
    public func allreduceMinimum(_ values: inout [Double]) throws(MPIError) {
        try allreduce(&values, vane_mpi_min())
    }

    /// Element-wise maximum over ranks, in place on every rank.
    public func allreduceMaximum(_ values: inout [Double]) throws(MPIError) {
        try allreduce(&values, vane_mpi_max())
    }

    private func allreduce(_ values: inout [Double], _ operation: MPI_Op) throws(MPIError) {
        let n = try Self.count(values.count, "allreduce")
        let status = values.withUnsafeMutableBufferPointer {
            MPI_Allreduce(vane_mpi_in_place(), $0.baseAddress, n, vane_mpi_double(), operation, vane_mpi_comm_world())
        }
        try Self.check(status, "MPI_Allreduce")
    }

    /// The largest value over ranks, on every rank (e.g. "did any rank fail?").
    public func allreduceMax(_ value: Int64) throws(MPIError) -> Int64 {
        var input = value, output: Int64 = 0
        try Self.check(MPI_Allreduce(&input, &output, 1, vane_mpi_int64(), vane_mpi_max(), vane_mpi_comm_world()), "MPI_Allreduce")
        return output
    }

    /// Stops every rank together when any of them failed: each rank passes whether it failed; all
    /// return normally when none did, and every healthy rank throws `peerFailed` otherwise. Call it
    /// before the next collective, so a rank that failed alone never leaves the others waiting.
    public func agree(failed: Bool, what: String) throws(MPIError) {
        let anyFailed = try allreduceMax(failed ? 1 : 0)
        if anyFailed != 0 && !failed { throw MPIError(.peerFailed, "\(what): another rank failed; rank \(rank) stops too") }
    }

    /// Concatenates every rank's `values` in rank order on `root` (empty on the others).
    public func gatherVariable(_ values: [Int32], root: Int = 0) throws(MPIError) -> [Int32] {
        try gatherVariable(values, root: root, type: vane_mpi_int32())
    }

    /// Concatenates every rank's `values` in rank order on `root` (empty on the others).
    public func gatherVariable(_ values: [Float], root: Int = 0) throws(MPIError) -> [Float] {
        try gatherVariable(values, root: root, type: vane_mpi_float())
    }

    private func gatherVariable<Element: Numeric>(_ values: [Element], root: Int, type: MPI_Datatype) throws(MPIError) -> [Element] {
        var mine = try Self.count(values.count, "gather")
        var counts = [Int32](repeating: 0, count: size)
        try Self.check(MPI_Gather(&mine, 1, vane_mpi_int32(), &counts, 1, vane_mpi_int32(), Int32(root), vane_mpi_comm_world()), "MPI_Gather")
        var displacements = [Int32](repeating: 0, count: size)
        var total = 0
        if rank == root {
            for r in 0..<size {
                displacements[r] = try Self.count(total, "gather offset")
                total += Int(counts[r])
            }
            _ = try Self.count(total, "gathered total")
        }
        var result = [Element](repeating: 0, count: rank == root ? total : 0)
        let status = values.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                MPI_Gatherv(input.baseAddress, mine, type, output.baseAddress, &counts, &displacements, type, Int32(root), vane_mpi_comm_world())
            }
        }
        try Self.check(status, "MPI_Gatherv")
        return result
    }

    /// Every rank's `values` concatenated in rank order, on every rank (`MPI_Allgather` of the
    /// counts, then `MPI_Allgatherv`). Collective. O(total elements).
    public func allgatherVariable(_ values: [Double]) throws(MPIError) -> [Double] {
        try allgatherVariable(values, type: vane_mpi_double(), bytesPerElement: 8).values
    }

    /// Every rank's `values` concatenated in rank order, on every rank.
    public func allgatherVariable(_ values: [Int32]) throws(MPIError) -> [Int32] {
        try allgatherVariable(values, type: vane_mpi_int32(), bytesPerElement: 4).values
    }

    /// `allgatherVariable`, with each rank's length (in rank order).
    public func allgatherVariableWithLengths(_ values: [Int32]) throws(MPIError) -> (values: [Int32], lengths: [Int]) {
        try allgatherVariable(values, type: vane_mpi_int32(), bytesPerElement: 4)
    }

    private func allgatherVariable<Element: Numeric>(_ values: [Element], type: MPI_Datatype,
                                                     bytesPerElement: Int) throws(MPIError) -> (values: [Element], lengths: [Int]) {
        var mine = try Self.count(values.count, "allgather")
        var counts = [Int32](repeating: 0, count: size)
        try Self.check(MPI_Allgather(&mine, 1, vane_mpi_int32(), &counts, 1, vane_mpi_int32(), vane_mpi_comm_world()), "MPI_Allgather")
        var displacements = [Int32](repeating: 0, count: size)
        var total = 0
        for r in 0..<size {
            displacements[r] = try Self.count(total, "allgather offset")
            total += Int(counts[r])
        }
        _ = try Self.count(total, "allgathered total")
        var result = [Element](repeating: 0, count: total)
        let status = values.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                MPI_Allgatherv(input.baseAddress, mine, type, output.baseAddress, &counts, &displacements, type, vane_mpi_comm_world())
            }
        }
        try Self.check(status, "MPI_Allgatherv")
        bytesSent += values.count * bytesPerElement * (size - 1)
        bytesReceived += (total - values.count) * bytesPerElement
        return (result, counts.map { Int($0) })
    }

    /// Personalised all-to-all of variable-length parts: `parts[r]` goes to rank r; returns what every
    /// rank sent to this one, indexed by sender (`MPI_Alltoall` of the counts, then `MPI_Alltoallv`).
    /// Collective: every rank calls it with `size` parts. O(total elements).
    public func exchange(_ parts: [[Int32]]) throws(MPIError) -> [[Int32]] {
        try exchange(parts, width: 1, type: vane_mpi_int32(), bytesPerElement: 4)
    }

    /// `exchange` of rows of `width` floats (each part's count a multiple of `width`): the counts
    /// MPI sees are rows, through a contiguous row datatype, so they stay far from 2^31.
    public func exchange(_ parts: [[Float]], width: Int) throws(MPIError) -> [[Float]] {
        precondition(width >= 1 && parts.allSatisfy { $0.count % width == 0 }, "exchange: parts must be whole rows of width")
        return try withRowType(width: width) { (rowType) throws(MPIError) in
            try exchange(parts, width: width, type: rowType, bytesPerElement: 4)
        }
    }

    /// Rows of `width` floats sent and received in counts every rank already knows (a planned
    /// exchange, `RowRangeExchange.Plan`): `send` holds sendCounts[r] rows for each rank r in rank
    /// order; `receive` gets receiveCounts[r] rows from each rank r in rank order, and must hold their
    /// sum. One `MPI_Alltoallv`, no exchange of counts. Collective.
    public func exchangeRows(_ send: UnsafeBufferPointer<Float>, counts sendCounts: [Int32],
                             into receive: UnsafeMutableBufferPointer<Float>, counts receiveCounts: [Int32], width: Int) throws(MPIError) {
        precondition(width >= 1 && sendCounts.count == size && receiveCounts.count == size, "exchangeRows: one count per rank")
        precondition(Int(sendCounts.reduce(0, +)) * width == send.count && Int(receiveCounts.reduce(0, +)) * width == receive.count,
                     "exchangeRows: buffers must hold the counted rows")
        try withRowType(width: width) { (rowType) throws(MPIError) in
            _ = try alltoallv(UnsafeRawPointer(send.baseAddress), counts: sendCounts, into: UnsafeMutableRawPointer(receive.baseAddress),
                              counts: receiveCounts, type: rowType, bytesPerCount: width * 4)
        }
    }

    /// `body` with a committed datatype of `width` contiguous floats, freed after.
    private func withRowType<Result>(width: Int, _ body: (MPI_Datatype) throws(MPIError) -> Result) throws(MPIError) -> Result {
        var rowType: MPI_Datatype? = nil
        try Self.check(MPI_Type_contiguous(try Self.count(width, "row width"), vane_mpi_float(), &rowType), "MPI_Type_contiguous")
        try Self.check(MPI_Type_commit(&rowType), "MPI_Type_commit")
        defer { MPI_Type_free(&rowType) }
        return try body(rowType!)
    }

    /// One `MPI_Alltoallv` of `type` elements in counts every rank knows (rank r's part at the sum
    /// of the counts before r), with the bytes to and from other ranks counted. Returns the receive
    /// offsets. Collective.
    private func alltoallv(_ send: UnsafeRawPointer?, counts sendCounts: [Int32], into receive: UnsafeMutableRawPointer?,
                           counts receiveCounts: [Int32], type: MPI_Datatype, bytesPerCount: Int) throws(MPIError) -> [Int32] {
        var sendOffsets = [Int32](repeating: 0, count: size), receiveOffsets = [Int32](repeating: 0, count: size)
        var sent = 0, received = 0
        for r in 0..<size {
            sendOffsets[r] = try Self.count(sent, "exchange offset")
            receiveOffsets[r] = try Self.count(received, "exchange offset")
            sent += Int(sendCounts[r])
            received += Int(receiveCounts[r])
        }
        _ = try Self.count(received, "exchange total")
        var sendCounts = sendCounts, receiveCounts = receiveCounts
        try Self.check(MPI_Alltoallv(send, &sendCounts, &sendOffsets, type, receive, &receiveCounts, &receiveOffsets, type,
                                     vane_mpi_comm_world()), "MPI_Alltoallv")
        for r in 0..<size where r != rank {
            bytesSent += Int(sendCounts[r]) * bytesPerCount
            bytesReceived += Int(receiveCounts[r]) * bytesPerCount
        }
        return receiveOffsets
    }

    private func exchange<Element: Numeric>(_ parts: [[Element]], width: Int, type: MPI_Datatype,
                                            bytesPerElement: Int) throws(MPIError) -> [[Element]] {
        precondition(parts.count == size, "exchange: one part per rank")
        var sendCounts = [Int32](repeating: 0, count: size)
        for r in 0..<size { sendCounts[r] = try Self.count(parts[r].count / width, "exchange count") }
        var receiveCounts = [Int32](repeating: 0, count: size)
        try Self.check(MPI_Alltoall(&sendCounts, 1, vane_mpi_int32(), &receiveCounts, 1, vane_mpi_int32(), vane_mpi_comm_world()), "MPI_Alltoall")
        let receiveTotal = receiveCounts.reduce(0) { $0 + Int($1) }
        _ = try Self.count(receiveTotal, "exchange total")
        let send = parts.flatMap { $0 }
        var receive = [Element](repeating: 0, count: receiveTotal * width)
        // withUnsafeBytes rethrows untyped errors: the typed error comes out as a Result.
        let receiveOffsets = try send.withUnsafeBytes { input in
            receive.withUnsafeMutableBytes { output in
                Result { () throws(MPIError) in
                    try alltoallv(input.baseAddress, counts: sendCounts, into: output.baseAddress, counts: receiveCounts, type: type,
                                  bytesPerCount: width * bytesPerElement)
                }
            }
        }.get()
        return (0..<size).map { r in
            let start = Int(receiveOffsets[r]) * width
            return Array(receive[start..<(start + Int(receiveCounts[r]) * width)])
        }
    }

    /// `root`'s `values` on every rank (the others' are replaced; their count must match). Collective.
    public func broadcast(_ values: inout [Float], root: Int = 0) throws(MPIError) {
        let n = try Self.count(values.count, "broadcast")
        let status = values.withUnsafeMutableBufferPointer {
            MPI_Bcast($0.baseAddress, n, vane_mpi_float(), Int32(root), vane_mpi_comm_world())
        }
        try Self.check(status, "MPI_Bcast")
        if rank != root { bytesReceived += values.count * 4 } else { bytesSent += values.count * 4 * (size - 1) }
    }
}
