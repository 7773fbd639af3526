import Foundation
import VaneTensor

/// A trained `SparseMLP`: point predictions, Monte Carlo dropout samples and, for the Beta head, the
/// posterior belief of each example.
public struct FittedSparseMLP: Sendable, Equatable {
    public let parameters: SparseMLPParameters
    public let head: OutputHead
    /// The dropout rate of training, reused by Monte Carlo dropout.
    public let dropoutRate: Float
    /// Mean training loss per epoch (weighted, including the entropy term of the Beta head).
    public let trainingLoss: [Double]

    public init(parameters: SparseMLPParameters, head: OutputHead, dropoutRate: Float, trainingLoss: [Double] = []) {
        self.parameters = parameters
        self.head = head
        self.dropoutRate = dropoutRate
        self.trainingLoss = trainingLoss
    }

    private func outputs(_ features: SparseRowMatrix, row: Int, dropout: Bool, using generator: inout SeededGenerator) -> [Float] {
        precondition(features.columnCount <= parameters.inputEmbedding.rows || features.columnCount == 0,
                     "features have \(features.columnCount) columns; the network was trained on \(parameters.inputEmbedding.rows)")
        var trace = SparseMLPParameters.Trace(widths: parameters.hiddenWidths, outputCount: head.outputCount)
        parameters.forward(features, row: row, dropoutRate: dropout ? dropoutRate : 0, generator: &generator, into: &trace)
        return trace.outputs
    }

    /// P(y = 1) of `row` without dropout. O(nnz x H0 + sum H_k H_{k+1}).
    public func probability(_ features: SparseRowMatrix, row: Int) -> Float {
        var unused = SeededGenerator(seed: 0)
        return outputs(features, row: row, dropout: false, using: &unused).withUnsafeBufferPointer { head.probability($0.baseAddress!) }
    }

    /// Monte Carlo dropout (Gal & Ghahramani, ICML 2016): `passes` stochastic forward passes with
    /// dropout on; returns the mean and variance of P(y = 1) over them. O(passes x one forward pass).
    public func monteCarloDropout(_ features: SparseRowMatrix, row: Int, passes: Int,
                                  using generator: inout SeededGenerator) -> (mean: Double, variance: Double) {
        precondition(passes >= 2, "monteCarloDropout needs at least 2 passes")
        var sum = 0.0, squares = 0.0
        for _ in 0..<passes {
            let p = Double(outputs(features, row: row, dropout: true, using: &generator).withUnsafeBufferPointer { head.probability($0.baseAddress!) })
            sum += p
            squares += p * p
        }
        let mean = sum / Double(passes)
        return (mean, max(0, squares / Double(passes) - mean * mean))
    }

    /// The Beta belief over P(y = 1) of `row`; only for a network with the `.beta` head.
    public func belief(_ features: SparseRowMatrix, row: Int) -> BetaDistribution {
        guard case .beta = head else { preconditionFailure("belief(_:row:) needs a network with the Beta head") }
        var unused = SeededGenerator(seed: 0)
        return outputs(features, row: row, dropout: false, using: &unused).withUnsafeBufferPointer { OutputHead.belief($0.baseAddress!) }
    }
}
