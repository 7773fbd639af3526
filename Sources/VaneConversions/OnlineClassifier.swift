import VaneLinear
import VaneNeural
import VaneTensor

/// A model a stream replay trains step by step: it predicts P(convert) for a click and takes one
/// weighted mini-batch step at a time (rows may repeat with different labels, as DEFER's copies do).
public protocol OnlineClassifier: Sendable {
    func probability(_ features: SparseRowMatrix, row: Int) -> Float
    mutating func update(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float])
    /// One step on a mini-batch spread over a sharded job: `rows` are this rank's part and
    /// `jobSamples` the whole batch's size (the mean runs over it); every rank calls it for the
    /// same batch and takes the same step. Collective.
    mutating func update<Shards: ReplayShardContext>(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float],
                                                     jobSamples: Int, shards: inout Shards) throws(Shards.Failure)
}

extension OnlineLogisticRegression: OnlineClassifier {
    /// The ranks' gradients of their parts (each divided by the whole batch's size) summed, then
    /// one Adam step with the sum on every replica.
    public mutating func update<Shards: ReplayShardContext>(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float],
                                                            jobSamples: Int, shards: inout Shards) throws(Shards.Failure) {
        let part = gradient(features: features, rows: rows, labels: labels, weights: weights, sampleCount: jobSamples)
        apply(try shards.sum(part))
    }
}

extension OnlineSparseMLP: OnlineClassifier {
    /// One process only: a sharded replay refuses the MLP before it starts (`StreamReplay.prepare`).
    public mutating func update<Shards: ReplayShardContext>(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float],
                                                            jobSamples: Int, shards: inout Shards) throws(Shards.Failure) {
        precondition(shards.ranks == 1 && jobSamples == rows.count, "the replayed MLP trains in one process")
        update(features: features, rows: rows, labels: labels, weights: weights)
    }
}

/// The conversion model family a replay trains.
public enum ConversionClassifier: String, Sendable, CaseIterable {
    /// Logistic regression over hashed features with lazy sparse Adam (`OnlineLogisticRegression`).
    case logistic
    /// A small MLP over hashed features: embedding-bag first layer with sparse updates, dense ReLU
    /// layers (`OnlineSparseMLP`).
    case mlp
}
