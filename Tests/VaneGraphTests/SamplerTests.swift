import Foundation
import Testing
import VaneGraph
import VaneTensor

@Suite("Neighbour samplers")
struct SamplerTests {
    /// 300 nodes with power-law degrees (hubs and degree-1 nodes both present).
    let graph = try! PowerLawGraphGenerator(nodes: 300, edges: 1500).generate(seed: 3)

    @Test func uniformSamplerRespectsFanOutAndDirection() {
        let sampler = UniformSampler(fanOut: 5)
        var generator = SeededGenerator(seed: 1)
        for node in 0..<Int32(graph.nodeCount) {
            for direction in [EdgeDirection.outgoing, .incoming] {
                var sample: [Int32] = []
                sampler.sample(node, direction: direction, in: graph, into: &sample, using: &generator)
                let neighbours = graph.neighbours(of: node, direction: direction)
                #expect(sample.count == min(5, neighbours.count))
                #expect(Set(sample).count == sample.count)  // without replacement
                #expect(sample.allSatisfy { neighbours.contains($0) && $0 != node })
            }
        }
    }

    @Test func degreeBiasedBudgetFallsWithDegree() throws {
        var settings = DegreeBiasedSampler.Configuration()
        settings.baseFanOut = 10
        settings.referenceDegree = 4
        settings.exponent = 0.5
        let sampler = try DegreeBiasedSampler(configuration: settings)
        // k(d) = clamp(round(10 * sqrt(4 / (d + 1))), 5, 25)
        #expect(sampler.budget(forDegree: 0) == 20)
        #expect(sampler.budget(forDegree: 3) == 10)
        #expect(sampler.budget(forDegree: 15) == 5)
        #expect(sampler.budget(forDegree: 10_000) == 5)
        let budgets = (0..<200).map { sampler.budget(forDegree: $0) }
        #expect(zip(budgets, budgets.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func degreeBiasedSamplesStayWithinTwoHopsAlongDirection() throws {
        let sampler = try DegreeBiasedSampler(configuration: .init().fitted(to: graph))
        var generator = SeededGenerator(seed: 2)
        var filledSomewhere = false
        for node in 0..<Int32(graph.nodeCount) {
            for direction in [EdgeDirection.outgoing, .incoming] {
                var sample: [Int32] = []
                sampler.sample(node, direction: direction, in: graph, into: &sample, using: &generator)
                let oneHop = graph.neighbours(of: node, direction: direction)
                let budget = sampler.budget(forDegree: oneHop.count)
                #expect(sample.count <= max(budget, 0))
                #expect(!sample.contains(node))
                let twoHop = Set(oneHop.flatMap { graph.neighbours(of: $0, direction: direction) })
                #expect(sample.allSatisfy { oneHop.contains($0) || twoHop.contains($0) })
                // Every 1-hop neighbour is kept when the budget allows.
                if oneHop.count <= budget { #expect(Set(oneHop).isSubset(of: Set(sample))) }
                if sample.count > oneHop.count { filledSomewhere = true }
            }
        }
        #expect(filledSomewhere)
    }

    @Test func samplingIsDeterministicForASeed() throws {
        let sampler = try DegreeBiasedSampler(configuration: .init())
        func draw(_ seed: UInt64) -> [Int32] {
            var generator = SeededGenerator(seed: seed)
            var sample: [Int32] = []
            for node in 0..<Int32(50) { sampler.sample(node, direction: .outgoing, in: graph, into: &sample, using: &generator) }
            return sample
        }
        #expect(draw(9) == draw(9))
        #expect(draw(9) != draw(10))
    }

    @Test func invalidSettingsAreRejected() {
        var settings = DegreeBiasedSampler.Configuration()
        settings.minimumFanOut = 10
        settings.maximumFanOut = 5
        #expect(throws: GraphError.self) { _ = try DegreeBiasedSampler(configuration: settings) }
    }

    @Test func splitKeepsNodesConnectedAndIsSeeded() throws {
        var first = SeededGenerator(seed: 4), second = SeededGenerator(seed: 4)
        let split = try EdgeSplit(graph: graph, using: &first)
        let again = try EdgeSplit(graph: graph, using: &second)
        #expect(split.test == again.test)
        #expect(split.training.count + split.validation.count + split.test.count == graph.edgeCount)
        #expect(abs(Double(split.test.count) / Double(graph.edgeCount) - 0.10) < 0.01)
        var trainingDegree = [Int](repeating: 0, count: graph.nodeCount)
        for edge in split.training {
            trainingDegree[Int(edge.source)] += 1
            trainingDegree[Int(edge.target)] += 1
        }
        for edge in split.test + split.validation {
            #expect(trainingDegree[Int(edge.source)] >= 1 && trainingDegree[Int(edge.target)] >= 1)
        }
    }
}
