import VaneConversions
import VaneLinear

/// The `ReplayShardContext` of an MPI job: sums, minima and maxima by `MPI_Allreduce`, concatenation
/// by `MPI_Allgatherv`, a mini-batch's gradient parts gathered (bias, columns and values in one
/// `MPI_Allgatherv`) and summed in rank order on every rank, so the
/// replicas apply identical steps. The logistic model's coefficients are replicated (a hashed table
/// of 2^18 floats is small); only the touched columns travel. Not `Sendable`: MPI calls stay on the
/// communicator's thread.
public struct MPIReplayContext: ReplayShardContext {
    public let communicator: Communicator
    /// Optimiser steps taken through this context (one per job-wide mini-batch).
    public private(set) var gradientSums = 0
    /// Seconds this rank spent inside the collectives (waiting for the others included): the
    /// replay's communication, against its wall time.
    public private(set) var communicationSeconds = 0.0

    public init(communicator: Communicator) {
        self.communicator = communicator
    }

    public var rank: Int { communicator.rank }
    public var ranks: Int { communicator.size }

    public mutating func sum(_ values: inout [Double]) throws(MPIError) {
        try timed { (communicator) throws(MPIError) in try communicator.allreduceSum(&values) }
    }
    public mutating func minimum(_ values: inout [Double]) throws(MPIError) {
        try timed { (communicator) throws(MPIError) in try communicator.allreduceMinimum(&values) }
    }
    public mutating func maximum(_ values: inout [Double]) throws(MPIError) {
        try timed { (communicator) throws(MPIError) in try communicator.allreduceMaximum(&values) }
    }
    public mutating func concatenate(_ values: [Double]) throws(MPIError) -> [Double] {
        try timed { (communicator) throws(MPIError) in try communicator.allgatherVariable(values) }
    }

    public mutating func sum(_ gradient: LogisticGradient) throws(MPIError) -> LogisticGradient {
        gradientSums += 1
        return try timed { (communicator) throws(MPIError) in try Self.summed(gradient, communicator) }
    }

    private mutating func timed<T>(_ body: (Communicator) throws(MPIError) -> T) throws(MPIError) -> T {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            communicationSeconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        return try body(communicator)
    }

    /// One `MPI_Allgatherv` of 32-bit words (and one `MPI_Allgather` of their counts): each rank's
    /// bias, then its columns, then its values, the floats as bit patterns (never reinterpreted in
    /// transit); each part's length says how many columns it has.
    private static func summed(_ gradient: LogisticGradient, _ communicator: Communicator) throws(MPIError) -> LogisticGradient {
        let m = gradient.columns.count
        var words = [Int32](repeating: 0, count: 1 + 2 * m)
        words[0] = Int32(bitPattern: gradient.bias.bitPattern)
        for k in 0..<m {
            words[1 + k] = gradient.columns[k]
            words[1 + m + k] = Int32(bitPattern: gradient.values[k].bitPattern)
        }
        let (all, lengths) = try communicator.allgatherVariableWithLengths(words)
        var parts: [LogisticGradient] = [], offset = 0
        for length in lengths {
            let n = (length - 1) / 2
            let float = { (word: Int32) in Float(bitPattern: UInt32(bitPattern: word)) }
            parts.append(LogisticGradient(columns: Array(all[(offset + 1)..<(offset + 1 + n)]),
                                          values: all[(offset + 1 + n)..<(offset + 1 + 2 * n)].map(float), bias: float(all[offset])))
            offset += length
        }
        return LogisticGradient(summing: parts)
    }
}
