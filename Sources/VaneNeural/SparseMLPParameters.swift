import Foundation
import VaneTensor

/// The weights of a sparse-input multilayer perceptron, and its forward and backward pass for one
/// example.
///
/// Layer 0 is a lookup: z0 = b0 + sum_j x_j E[c_j] over the example's non-zero columns c_j (an
/// embedding bag, so a hashed feature space of 2^20 columns costs O(nnz x H0) per example, not
/// O(2^20 x H0)); then h_k = dropout(relu(z_k)) and z_{k+1} = h_k W_k + b_k; the last W maps to the
/// head's outputs. Shapes: E is columnCount x H0, W_k is H_k x H_{k+1}.
public struct SparseMLPParameters: Sendable, Equatable {
    /// columnCount x hidden[0]; row c is feature c's contribution to the first hidden layer.
    public var inputEmbedding: Matrix
    /// 1 x hidden[0].
    public var inputBias: Matrix
    /// hidden[k] x hidden[k + 1] for each later layer, then hidden.last x outputCount.
    public var weights: [Matrix]
    /// 1 x width of each layer in `weights`.
    public var biases: [Matrix]

    /// Widths of the hidden layers.
    public var hiddenWidths: [Int] { [inputEmbedding.columns] + weights.dropLast().map(\.columns) }

    /// Random initial weights: embedding rows N(0, 0.1^2) (an example sums a few of them), Glorot
    /// uniform dense layers, zero biases.
    public init(columnCount: Int, hidden: [Int], outputCount: Int, using generator: inout SeededGenerator) {
        precondition(!hidden.isEmpty && hidden.allSatisfy { $0 > 0 } && columnCount > 0, "SparseMLPParameters: invalid shape")
        inputEmbedding = .normal(rows: columnCount, columns: hidden[0], standardDeviation: 0.1, using: &generator)
        inputBias = Matrix(rows: 1, columns: hidden[0])
        let widths = hidden + [outputCount]
        weights = (1..<widths.count).map { Matrix.xavierUniform(rows: widths[$0 - 1], columns: widths[$0], using: &generator) }
        biases = (1..<widths.count).map { Matrix(rows: 1, columns: widths[$0]) }
    }

    public init(inputEmbedding: Matrix, inputBias: Matrix, weights: [Matrix], biases: [Matrix]) {
        self.inputEmbedding = inputEmbedding
        self.inputBias = inputBias
        self.weights = weights
        self.biases = biases
    }

    /// Per-example activations kept between the forward and backward pass; reused across examples.
    struct Trace {
        /// Pre-activation z_k of each hidden layer.
        var preActivations: [[Float]]
        /// h_k = mask_k x relu(z_k).
        var activations: [[Float]]
        /// Dropout scale of each hidden unit: 0 or 1 / (1 - rate); 1 without dropout.
        var masks: [[Float]]
        var outputs: [Float]

        init(widths: [Int], outputCount: Int) {
            preActivations = widths.map { [Float](repeating: 0, count: $0) }
            activations = preActivations
            masks = widths.map { [Float](repeating: 1, count: $0) }
            outputs = [Float](repeating: 0, count: outputCount)
        }
    }

    /// Forward pass of `row`; with `dropoutRate > 0` each hidden unit is dropped with that
    /// probability (inverted scaling, so no rescaling at inference). O(nnz x H0 + sum H_k H_{k+1}).
    func forward(_ features: SparseRowMatrix, row: Int, dropoutRate: Float, generator: inout SeededGenerator, into trace: inout Trace) {
        let h0 = inputEmbedding.columns
        for unit in 0..<h0 { trace.preActivations[0][unit] = inputBias.values[unit] }
        inputEmbedding.values.withUnsafeBufferPointer { embedding in
            trace.preActivations[0].withUnsafeMutableBufferPointer { z in
                for j in features.rowOffsets[row]..<features.rowOffsets[row + 1] {
                    let base = Int(features.columnIndices[j]) * h0, x = features.values[j]
                    for unit in 0..<h0 { z[unit] += x * embedding[base + unit] }
                }
            }
        }
        let keepScale = dropoutRate > 0 ? 1 / (1 - dropoutRate) : 1
        for layer in 0..<trace.activations.count {
            if layer > 0 { Self.affine(trace.activations[layer - 1], weights[layer - 1], biases[layer - 1], into: &trace.preActivations[layer]) }
            for unit in 0..<trace.activations[layer].count {
                let mask: Float = dropoutRate > 0 ? (generator.nextUnitFloat() < dropoutRate ? 0 : keepScale) : 1
                trace.masks[layer][unit] = mask
                trace.activations[layer][unit] = mask * max(0, trace.preActivations[layer][unit])
            }
        }
        Self.affine(trace.activations[trace.activations.count - 1], weights[weights.count - 1], biases[biases.count - 1], into: &trace.outputs)
    }

    /// out = input W + b, W being input.count x out.count.
    private static func affine(_ input: [Float], _ weight: Matrix, _ bias: Matrix, into output: inout [Float]) {
        let width = weight.columns
        for j in 0..<width { output[j] = bias.values[j] }
        weight.values.withUnsafeBufferPointer { w in
            for i in 0..<input.count where input[i] != 0 {
                let x = input[i], base = i * width
                for j in 0..<width { output[j] += x * w[base + j] }
            }
        }
    }

    /// Backward pass for one example given d loss / d outputs (already scaled by the example's
    /// weight): adds dense gradients into `gradients` and embedding-row gradients into `embedding`.
    func backward(_ features: SparseRowMatrix, row: Int, trace: Trace, outputGradient: [Float],
                  gradients: inout Gradients, embedding: inout EmbeddingGradient) {
        var upstream = outputGradient
        for layer in stride(from: weights.count - 1, through: 0, by: -1) {
            let input = trace.activations[layer], width = weights[layer].columns
            for j in 0..<width { gradients.biases[layer].values[j] += upstream[j] }
            var inputGradient = [Float](repeating: 0, count: input.count)
            weights[layer].values.withUnsafeBufferPointer { w in
                gradients.weights[layer].values.withUnsafeMutableBufferPointer { g in
                    for i in 0..<input.count {
                        let base = i * width, x = input[i]
                        var sum: Float = 0
                        for j in 0..<width {
                            g[base + j] += x * upstream[j]
                            sum += w[base + j] * upstream[j]
                        }
                        // Through the dropout mask and the ReLU of the unit that produced input[i].
                        inputGradient[i] = trace.preActivations[layer][i] > 0 ? sum * trace.masks[layer][i] : 0
                    }
                }
            }
            upstream = inputGradient
        }
        for unit in 0..<upstream.count { gradients.inputBias.values[unit] += upstream[unit] }
        for j in features.rowOffsets[row]..<features.rowOffsets[row + 1] {
            embedding.add(upstream, scaledBy: features.values[j], toRow: features.columnIndices[j])
        }
    }

    /// Dense gradients, one matrix per dense parameter.
    struct Gradients {
        var inputBias: Matrix
        var weights: [Matrix]
        var biases: [Matrix]

        init(like parameters: SparseMLPParameters) {
            inputBias = Matrix(rows: 1, columns: parameters.inputBias.columns)
            weights = parameters.weights.map { Matrix(rows: $0.rows, columns: $0.columns) }
            biases = parameters.biases.map { Matrix(rows: 1, columns: $0.columns) }
        }
    }

    /// Gradient rows of the embedding rows a batch touched, in order of first touch.
    struct EmbeddingGradient {
        let width: Int
        private(set) var rows: [Int32] = []
        private(set) var values: [Float] = []
        private var slotOfRow: [Int32: Int] = [:]

        init(width: Int) { self.width = width }

        mutating func add(_ gradient: [Float], scaledBy scale: Float, toRow row: Int32) {
            let slot: Int
            if let known = slotOfRow[row] {
                slot = known
            } else {
                slot = rows.count
                slotOfRow[row] = slot
                rows.append(row)
                values.append(contentsOf: repeatElement(0, count: width))
            }
            for unit in 0..<width { values[slot * width + unit] += scale * gradient[unit] }
        }

        var sparseGradient: SparseRowGradient {
            SparseRowGradient(indices: rows, rowGradients: Matrix(rows: rows.count, columns: width, values: values))
        }
    }
}
