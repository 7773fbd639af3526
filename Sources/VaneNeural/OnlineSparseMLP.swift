import VaneTensor

/// A `SparseMLP` trained incrementally, one mini-batch at a time, as a stream replay needs: each
/// `update` takes one Adam step (lazy sparse Adam on the embedding rows the batch touches) on the
/// batch's mean weighted loss. O(nnz x H0 + B x sum H_k H_{k+1}) per update.
public struct OnlineSparseMLP: Sendable {
    public let configuration: SparseMLP.Configuration
    public private(set) var parameters: SparseMLPParameters
    private var training: SparseMLP.Training
    /// Draws the dropout masks; seeded, so a replay is reproducible.
    private var generator: SeededGenerator

    public init(columnCount: Int, configuration: SparseMLP.Configuration = .init(), seed: UInt64) throws(NeuralError) {
        try configuration.validate()
        guard columnCount >= 1 else { throw NeuralError(.invalidInput, "need at least one feature column") }
        self.configuration = configuration
        generator = SeededGenerator(seed: seed)
        parameters = SparseMLPParameters(columnCount: columnCount, hidden: configuration.hiddenWidths,
                                         outputCount: configuration.head.outputCount, using: &generator)
        training = SparseMLP.Training(parameters: parameters, configuration: configuration)
    }

    /// The network as it stands.
    public var fitted: FittedSparseMLP {
        FittedSparseMLP(parameters: parameters, head: configuration.head, dropoutRate: configuration.dropoutRate)
    }

    /// P(y = 1) for one row, without dropout.
    public func probability(_ features: SparseRowMatrix, row: Int) -> Float { fitted.probability(features, row: row) }

    /// One step on `rows` with soft labels in [0, 1] and weights >= 0 aligned by position.
    public mutating func update(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float]) {
        precondition(rows.count == labels.count && rows.count == weights.count, "update: one label and weight per row")
        guard !rows.isEmpty else { return }
        _ = training.step(&parameters, features: features, rows: rows, labels: labels, weights: weights, using: &generator)
    }
}
