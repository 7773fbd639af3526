import Foundation
import Testing
import VaneTensor
@testable import VaneNeural

@Suite("SparseMLP")
struct SparseMLPTests {
    /// Rows with one of `ids` one-hot columns plus a numeric column.
    static func fixture(rows: Int, ids: Int, seed: UInt64) -> (SparseRowMatrix, [Float]) {
        var generator = SeededGenerator(seed: seed)
        var features = SparseRowMatrix(columnCount: ids + 1)
        var labels: [Float] = []
        for _ in 0..<rows {
            let id = generator.nextIndex(below: ids), x = Float(generator.nextGaussian())
            features.appendRow(columns: [Int32(id), Int32(ids)], values: [1, x])
            let logit = (id % 2 == 0 ? 1.5 : -1.5) + 0.8 * x
            labels.append(generator.nextUnitFloat() < Sigmoid.value(logit) ? 1 : 0)
        }
        return (features, labels)
    }

    /// Finite-difference check of every parameter group's gradient, for both heads.
    @Test(arguments: [OutputHead.bernoulli, .beta(entropyWeight: 0.05)])
    func gradientsMatchFiniteDifferences(head: OutputHead) {
        let (features, labels) = Self.fixture(rows: 6, ids: 4, seed: 3)
        var generator = SeededGenerator(seed: 9)
        let parameters = SparseMLPParameters(columnCount: features.columnCount, hidden: [5, 3], outputCount: head.outputCount, using: &generator)
        let weights: [Float] = [1, 0.5, 2, 1, 1, 0.25]
        let rows = Array(0..<6)
        func meanLoss(_ p: SparseMLPParameters) -> Double {
            p.batchGradient(features: features, rows: rows, labels: labels, weights: weights, head: head, dropoutRate: 0, using: &generator).loss / 6
        }
        let (_, gradients, embedding) = parameters.batchGradient(features: features, rows: rows, labels: labels, weights: weights,
                                                                 head: head, dropoutRate: 0, using: &generator)
        let sparse = embedding.sparseGradient
        let h: Float = 1e-3
        func check(_ analytic: Float, _ perturb: (inout SparseMLPParameters, Float) -> Void) {
            var plus = parameters, minus = parameters
            perturb(&plus, h)
            perturb(&minus, -h)
            let numeric = (meanLoss(plus) - meanLoss(minus)) / Double(2 * h)
            #expect(abs(numeric - Double(analytic)) < 2e-3 + 2e-2 * abs(numeric), "numeric \(numeric) analytic \(analytic)")
        }
        for slot in 0..<sparse.rowIndices.count {
            let row = Int(sparse.rowIndices[slot])
            for unit in 0..<5 {
                check(sparse.gradients[slot, unit]) { $0.inputEmbedding.values[row * 5 + unit] += $1 }
            }
        }
        for unit in 0..<5 { check(gradients.inputBias.values[unit]) { $0.inputBias.values[unit] += $1 } }
        for layer in parameters.weights.indices {
            for k in 0..<parameters.weights[layer].count {
                check(gradients.weights[layer].values[k]) { $0.weights[layer].values[k] += $1 }
            }
            for k in 0..<parameters.biases[layer].count {
                check(gradients.biases[layer].values[k]) { $0.biases[layer].values[k] += $1 }
            }
        }
    }

    @Test func learnsAndIsDeterministicForASeed() throws {
        let (features, labels) = Self.fixture(rows: 3000, ids: 10, seed: 1)
        var configuration = SparseMLP.Configuration()
        configuration.epochs = 5
        let model = try SparseMLP(configuration: configuration)
        var first = SeededGenerator(seed: 4), second = SeededGenerator(seed: 4)
        let fitted = try model.fit(features: features, labels: labels, using: &first)
        #expect(fitted == (try model.fit(features: features, labels: labels, using: &second)))
        #expect(fitted.trainingLoss.last! < fitted.trainingLoss.first!)
        // Even IDs carry +1.5 log-odds: the network ranks them above odd IDs at x = 0.
        var probe = SparseRowMatrix(columnCount: 11)
        probe.appendRow(columns: [0, 10], values: [1, 0])
        probe.appendRow(columns: [1, 10], values: [1, 0])
        #expect(fitted.probability(probe, row: 0) > 0.7)
        #expect(fitted.probability(probe, row: 1) < 0.3)
    }

    @Test func monteCarloDropoutVarianceIsZeroWithoutDropoutAndPositiveWithIt() throws {
        let (features, labels) = Self.fixture(rows: 500, ids: 6, seed: 2)
        var configuration = SparseMLP.Configuration()
        configuration.epochs = 2
        var generator = SeededGenerator(seed: 1)
        configuration.dropoutRate = 0
        let deterministic = try SparseMLP(configuration: configuration).fit(features: features, labels: labels, using: &generator)
        #expect(deterministic.monteCarloDropout(features, row: 0, passes: 10, using: &generator).variance == 0)
        configuration.dropoutRate = 0.3
        let dropped = try SparseMLP(configuration: configuration).fit(features: features, labels: labels, using: &generator)
        let (mean, variance) = dropped.monteCarloDropout(features, row: 0, passes: 50, using: &generator)
        #expect(variance > 0)
        #expect(abs(mean - Double(dropped.probability(features, row: 0))) < 0.15)
    }

    /// The posterior head's premise: where IDs differ in rate, an ID seen often gathers evidence and a
    /// rarely seen one keeps a belief about as wide as the spread of rates across IDs.
    @Test func betaHeadIsLessCertainAboutRarelySeenIDs() throws {
        var generator = SeededGenerator(seed: 5)
        var features = SparseRowMatrix(columnCount: 40)
        var labels: [Float] = []
        for i in 0..<3000 {
            // IDs 0-19 take 97% of the rows, IDs 20-39 about 4-5 rows each; even IDs convert at 0.6, odd at 0.1.
            let id = i % 33 == 0 ? 20 + (i / 33) % 20 : generator.nextIndex(below: 20)
            features.appendRow(columns: [Int32(id)], values: [1])
            labels.append(generator.nextUnitFloat() < (id % 2 == 0 ? 0.6 : 0.1) ? 1 : 0)
        }
        var configuration = SparseMLP.Configuration()
        configuration.head = .beta(entropyWeight: 0.01)
        configuration.dropoutRate = 0
        configuration.epochs = 8
        let fitted = try SparseMLP(configuration: configuration).fit(features: features, labels: labels, using: &generator)
        var probe = SparseRowMatrix(columnCount: 40)
        for id in 0..<40 { probe.appendRow(columns: [Int32(id)], values: [1]) }
        let entropies = (0..<40).map { fitted.belief(probe, row: $0).entropy }
        let common = entropies[0..<20].reduce(0, +) / 20, rare = entropies[20..<40].reduce(0, +) / 20
        print("Beta head entropy: common IDs \(common), rare IDs \(rare)")
        #expect(common < rare)
        #expect(abs(fitted.belief(probe, row: 0).mean - 0.6) < 0.1)
        #expect(abs(fitted.belief(probe, row: 1).mean - 0.1) < 0.1)
    }

    @Test func rejectsBadConfigurationAndInput() throws {
        var configuration = SparseMLP.Configuration()
        configuration.dropoutRate = 1
        #expect(throws: NeuralError.self) { try SparseMLP(configuration: configuration) }
        configuration = .init()
        configuration.hiddenWidths = []
        #expect { try SparseMLP(configuration: configuration) } throws: { ($0 as? NeuralError)?.code == .invalidConfiguration }
        let model = try SparseMLP()
        var features = SparseRowMatrix(columnCount: 2)
        features.appendRow(columns: [0], values: [1])
        var generator = SeededGenerator(seed: 1)
        #expect { try model.fit(features: features, labels: [2], using: &generator) } throws: {
            ($0 as? NeuralError)?.code == .invalidInput && "\($0)".contains("row 0")
        }
        #expect { try model.fit(features: features, labels: [1], weights: [.nan], using: &generator) } throws: {
            ($0 as? NeuralError)?.code == .invalidInput
        }
    }
}
