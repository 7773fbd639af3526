import Foundation
import VaneTensor

/// A small multilayer perceptron over sparse (hashed) features, trained by mini-batch Adam with
/// per-example weights: minimises (1/B) sum_i w_i loss_head(f(x_i), y_i) per batch, with decoupled
/// weight decay (AdamW) and dropout after every hidden layer.
///
/// The first layer is an embedding bag updated by lazy sparse Adam (only the rows of features present
/// in a batch move), so the cost is O(epochs x (nnz x H0 + n x sum H_k H_{k+1})), independent of the
/// size of the hashed feature space. Deterministic for a generator seed.
public struct SparseMLP: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Widths of the hidden layers; the first is the embedding width.
        public var hiddenWidths: [Int] = [32, 16]
        /// Probability of dropping each hidden unit in training (and in Monte Carlo dropout).
        public var dropoutRate: Float = 0.2
        public var head: OutputHead = .bernoulli
        public var learningRate: Float = 0.005
        /// Decoupled weight decay (AdamW).
        public var weightDecay: Float = 1e-4
        public var epochs: Int = 6
        public var batchSize: Int = 256
        public init() {}

        public func validate() throws(NeuralError) {
            guard !hiddenWidths.isEmpty, hiddenWidths.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
                throw NeuralError(.invalidConfiguration, "hiddenWidths must be 1 to 4096 units per layer and at least one layer, got \(hiddenWidths)")
            }
            guard dropoutRate >= 0, dropoutRate < 1 else {
                throw NeuralError(.invalidConfiguration, "dropoutRate must be in [0, 1), got \(dropoutRate)")
            }
            guard learningRate > 0, learningRate.isFinite else {
                throw NeuralError(.invalidConfiguration, "learningRate must be positive, got \(learningRate)")
            }
            guard weightDecay >= 0, weightDecay.isFinite else {
                throw NeuralError(.invalidConfiguration, "weightDecay must be finite and >= 0, got \(weightDecay)")
            }
            guard epochs >= 1, batchSize >= 1 else {
                throw NeuralError(.invalidConfiguration, "epochs and batchSize must be positive, got \(epochs), \(batchSize)")
            }
            if case .beta(let entropyWeight) = head, !(entropyWeight >= 0 && entropyWeight.isFinite) {
                throw NeuralError(.invalidConfiguration, "the Beta head's entropyWeight must be finite and >= 0, got \(entropyWeight)")
            }
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) throws(NeuralError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Fits on the rows of `features` with soft or hard `labels` in [0, 1] and optional
    /// non-negative `weights`. Returns the fitted network and its mean training loss per epoch.
    public func fit(features: SparseRowMatrix, labels: [Float], weights: [Float]? = nil,
                    using generator: inout SeededGenerator) throws(NeuralError) -> FittedSparseMLP {
        guard features.rowCount > 0, features.rowCount == labels.count else {
            throw NeuralError(.invalidInput, "need one label per row and at least one row (rows \(features.rowCount), labels \(labels.count))")
        }
        if let bad = labels.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw NeuralError(.invalidInput, "label of row \(bad) is \(labels[bad]); labels must be in [0, 1]")
        }
        if let weights {
            guard weights.count == labels.count else { throw NeuralError(.invalidInput, "got \(weights.count) weights for \(labels.count) rows") }
            if let bad = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw NeuralError(.invalidInput, "weight of row \(bad) is \(weights[bad]); weights must be finite and >= 0")
            }
        }
        let c = configuration
        var parameters = SparseMLPParameters(columnCount: max(1, features.columnCount), hidden: c.hiddenWidths,
                                             outputCount: c.head.outputCount, using: &generator)
        var training = Training(parameters: parameters, configuration: c)
        var order = Array(0..<features.rowCount)
        var losses: [Double] = []
        for _ in 0..<c.epochs {
            order.seededShuffle(using: &generator)
            var total = 0.0
            for start in stride(from: 0, to: order.count, by: c.batchSize) {
                let batch = Array(order[start..<min(order.count, start + c.batchSize)])
                total += training.step(&parameters, features: features, rows: batch, labels: batch.map { labels[$0] },
                                       weights: batch.map { weights?[$0] ?? 1 }, using: &generator)
            }
            losses.append(total / Double(order.count))
        }
        let finite = parameters.inputEmbedding.isFinite && parameters.inputBias.isFinite
            && parameters.weights.allSatisfy(\.isFinite) && parameters.biases.allSatisfy(\.isFinite)
        guard finite, losses.allSatisfy(\.isFinite) else {
            throw NeuralError(.diverged, "training diverged; lower the learning rate (now \(c.learningRate))")
        }
        return FittedSparseMLP(parameters: parameters, head: c.head, dropoutRate: c.dropoutRate, trainingLoss: losses)
    }

    /// Optimiser state across batches.
    struct Training {
        let configuration: Configuration
        var embeddingOptimizer: SparseAdam
        var inputBiasOptimizer: Adam
        var weightOptimizers: [Adam]
        var biasOptimizers: [Adam]

        init(parameters: SparseMLPParameters, configuration: Configuration) {
            self.configuration = configuration
            let decayed = AdamConfiguration(learningRate: configuration.learningRate, weightDecay: configuration.weightDecay)
            let plain = AdamConfiguration(learningRate: configuration.learningRate)
            embeddingOptimizer = SparseAdam(rows: parameters.inputEmbedding.rows, columns: parameters.inputEmbedding.columns, configuration: decayed)
            inputBiasOptimizer = Adam(parameterCount: parameters.inputBias.count, configuration: plain)
            weightOptimizers = parameters.weights.map { Adam(parameterCount: $0.count, configuration: decayed) }
            biasOptimizers = parameters.biases.map { Adam(parameterCount: $0.count, configuration: plain) }
        }

        /// One Adam step on the batch (`labels[k]`, `weights[k]` belong to `rows[k]`); returns the
        /// batch's summed weighted loss.
        mutating func step(_ parameters: inout SparseMLPParameters, features: SparseRowMatrix, rows: [Int],
                           labels: [Float], weights: [Float], using generator: inout SeededGenerator) -> Double {
            let (loss, gradients, embedding) = parameters.batchGradient(features: features, rows: rows, labels: labels, weights: weights,
                                                                        head: configuration.head, dropoutRate: configuration.dropoutRate,
                                                                        using: &generator)
            embeddingOptimizer.update(&parameters.inputEmbedding, gradient: embedding.sparseGradient)
            inputBiasOptimizer.update(&parameters.inputBias, gradient: gradients.inputBias)
            for layer in parameters.weights.indices {
                weightOptimizers[layer].update(&parameters.weights[layer], gradient: gradients.weights[layer])
                biasOptimizers[layer].update(&parameters.biases[layer], gradient: gradients.biases[layer])
            }
            return loss
        }
    }
}

extension SparseMLPParameters {
    /// Summed weighted loss of `rows` and the gradient of its mean over the batch; `labels[k]` and
    /// `weights[k]` belong to `rows[k]` (a row may appear twice, e.g. as a negative and a late positive).
    func batchGradient(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float],
                       head: OutputHead, dropoutRate: Float, using generator: inout SeededGenerator)
        -> (loss: Double, gradients: Gradients, embedding: EmbeddingGradient) {
        var gradients = Gradients(like: self)
        var embedding = EmbeddingGradient(width: inputEmbedding.columns)
        var trace = Trace(widths: hiddenWidths, outputCount: head.outputCount)
        var outputGradient = [Float](repeating: 0, count: head.outputCount)
        let scale = 1 / Float(rows.count)
        var total = 0.0
        for (k, row) in rows.enumerated() {
            forward(features, row: row, dropoutRate: dropoutRate, generator: &generator, into: &trace)
            let weight = weights[k]
            let loss = trace.outputs.withUnsafeBufferPointer { outputs in
                outputGradient.withUnsafeMutableBufferPointer { gradient in
                    head.loss(outputs: outputs.baseAddress!, label: labels[k], gradient: gradient.baseAddress!)
                }
            }
            total += Double(weight) * loss
            guard weight > 0 else { continue }
            for k in outputGradient.indices { outputGradient[k] *= weight * scale }
            backward(features, row: row, trace: trace, outputGradient: outputGradient, gradients: &gradients, embedding: &embedding)
        }
        return (total, gradients, embedding)
    }
}
