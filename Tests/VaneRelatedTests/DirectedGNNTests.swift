import Foundation
import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

@Suite("Directed GNN")
struct DirectedGNNTests {
    /// L = sum_k <H_L[k], R_k> for fixed random R; the backward pass must match finite differences
    /// for layer weights, biases and the embedding rows the plan touches.
    @Test(arguments: DirectedGNNConfiguration.Structure.allCases)
    func backwardMatchesFiniteDifferences(structure: DirectedGNNConfiguration.Structure) throws {
        let graph = randomGraph(nodes: 40, seed: 1)
        var configuration = smallConfiguration(structure)
        configuration.layers = 2
        var generator = SeededGenerator(seed: 2)
        let sampler = UniformSampler(fanOut: 3)
        var model = DirectedGNN(configuration: configuration, nodeCount: graph.nodeCount, sampler: sampler, generator: &generator)
        // Larger states keep pre-activations away from ReLU's kink, where differences are undefined.
        for k in model.embeddings.indices { model.embeddings[k].scale(by: 10) }
        let views = GraphViews(graph, kinds: model.kinds)
        var scratch = [Int32](repeating: -1, count: graph.nodeCount)
        let queries = model.kinds.map { _ in [Int32](0..<6) }
        let plan = ComputationPlan(queries: queries, layers: 2, kinds: model.kinds, views: views, sampler: sampler,
                                   generator: &generator, scratch: &scratch)
        let projections = model.kinds.map { Matrix.normal(rows: 6, columns: $0.dimension, standardDeviation: 1, using: &generator) }
        func loss(_ m: DirectedGNN) -> Double {
            let top = m.forward(plan).levels[2]
            return zip(top, projections).reduce(0) { $0 + $1.0.dot($1.1) }
        }
        let gradients = model.backward(plan, state: model.forward(plan), outputGradients: projections)
        // Central differences at two step sizes; where they disagree a ReLU kink lies within the step
        // and the loss is not differentiable there, so that coordinate is skipped (and counted).
        var checked = 0, skipped = 0
        func check(_ analytic: Float, _ mutate: (inout DirectedGNN, Float) -> Void) {
            func numeric(_ step: Float) -> Double {
                var plus = model, minus = model
                mutate(&plus, step)
                mutate(&minus, -step)
                return (loss(plus) - loss(minus)) / (2 * Double(step))
            }
            let coarse = numeric(1e-3), fine = numeric(2.5e-4)
            guard abs(coarse - fine) < 5e-3 * max(1, abs(coarse)) else {
                skipped += 1
                return
            }
            checked += 1
            #expect(abs(Double(analytic) - coarse) < 1e-2 * max(1, abs(coarse)), "\(analytic) vs \(coarse)")
        }
        for k in model.kinds.indices {
            for l in 0..<2 {
                for index in [0, 5, model.weights[l][k].count - 1] {
                    check(gradients.weights[l][k].values[index]) { $0.weights[l][k].values[index] += $1 }
                }
                check(gradients.biases[l][k].values[0]) { $0.biases[l][k].values[0] += $1 }
            }
            var dense = Matrix(rows: graph.nodeCount, columns: model.kinds[k].dimension)
            gradients.embeddings[k].add(into: &dense)
            for row in plan.nodes[0][k].prefix(12) {
                let index = Int(row) * model.kinds[k].dimension
                check(dense.values[index]) { $0.embeddings[k].values[index] += $1 }
            }
        }
        #expect(skipped * 5 <= checked)
    }

    @Test func dualModelLearnsDirectionSymmetricCannot() throws {
        let graph = try catalogueGraph()
        let phoneToCase = graph.edges.filter { graph.nodeNames[Int($0.target)].hasPrefix("case") }
        func directionAccuracy(_ structure: DirectedGNNConfiguration.Structure) throws -> Double {
            var configuration = smallConfiguration(structure)
            configuration.reverseWeight = structure == .symmetric ? 0 : 1
            let trainer = try DirectedGNNTrainer(configuration: configuration)
            let (network, _) = try trainer.fit(graph: graph, validation: [], seed: 7)
            let model = network.relatedItemModel(graph: graph, method: structure.rawValue, seed: 7)
            let wins = phoneToCase.filter { model.score(source: $0.source, target: $0.target) > model.score(source: $0.target, target: $0.source) }
            return Double(wins.count) / Double(phoneToCase.count)
        }
        #expect(try directionAccuracy(.dual) > 0.95)
        #expect(try directionAccuracy(.hybrid) > 0.95)
        #expect(try directionAccuracy(.symmetric) == 0)  // exact ties: a symmetric score cannot prefer a direction
    }

    @Test func trainingIsDeterministicForASeed() throws {
        let graph = randomGraph(nodes: 60, seed: 5)
        var configuration = smallConfiguration(.hybrid)
        configuration.maximumEpochs = 3
        configuration.sampling = .degreeBiased(.init(), fitToGraph: true)
        let trainer = try DirectedGNNTrainer(configuration: configuration)
        let first = try trainer.fit(graph: graph, validation: [], seed: 11).model.relatedItemModel(graph: graph, method: "a", seed: 11)
        let second = try trainer.fit(graph: graph, validation: [], seed: 11).model.relatedItemModel(graph: graph, method: "a", seed: 11)
        let other = try trainer.fit(graph: graph, validation: [], seed: 12).model.relatedItemModel(graph: graph, method: "a", seed: 12)
        #expect(first.sourceEmbeddings == second.sourceEmbeddings)
        #expect(first.targetEmbeddings == second.targetEmbeddings)
        #expect(first.sourceEmbeddings != other.sourceEmbeddings)
    }

    @Test func theEdgeVisitBudgetCapsEpochsOnLargeGraphs() throws {
        var configuration = DirectedGNNConfiguration()
        // 10M visits: 30 epochs up to 333,333 training edges, then fewer, never below 3.
        #expect(configuration.epochCap(trainingEdges: 250_000) == 30)
        #expect(configuration.epochCap(trainingEdges: 333_333) == 30)
        #expect(configuration.epochCap(trainingEdges: 1_000_000) == 10)
        #expect(configuration.epochCap(trainingEdges: 50_000_000) == DirectedGNNConfiguration.minimumBudgetedEpochs)
        configuration.edgeVisitBudget = nil
        #expect(configuration.epochCap(trainingEdges: 50_000_000) == 30)
        configuration.edgeVisitBudget = 0
        #expect(throws: RelatedError.self) { try configuration.validate() }

        // The trainer stops at the cap (patience would let it run all 60 epochs).
        let graph = randomGraph(nodes: 60, seed: 5)
        var small = smallConfiguration(.hybrid)
        small.edgeVisitBudget = graph.edgeCount * 4
        let (_, report) = try DirectedGNNTrainer(configuration: small).fit(graph: graph, validation: [], seed: 11)
        #expect(report.epochCap == 4 && report.epochs.count == 4)
        small.edgeVisitBudget = nil
        #expect(try DirectedGNNTrainer(configuration: small).fit(graph: graph, validation: [], seed: 11).report.epochs.count == 60)
    }

    @Test func invalidConfigurationNamesTheField() throws {
        var configuration = DirectedGNNConfiguration()
        configuration.dimension = 7
        #expect {
            _ = try DirectedGNNTrainer(configuration: configuration)
        } throws: { error in
            (error as? RelatedError)?.code == .invalidConfiguration && (error as? RelatedError)?.field == "dimension" && "\(error)".contains("even")
        }
        configuration = DirectedGNNConfiguration()
        configuration.learningRate = .nan
        #expect(throws: RelatedError.self) { _ = try DirectedGNNTrainer(configuration: configuration) }
        #expect(throws: RelatedError.self) { _ = try RelatedMethod.parseList("blade,pagerank") }
        #expect(try RelatedMethod.parseList(" blade, popularity,blade") == [.blade, .popularity])
    }
}
