import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

@Suite("SpringRank regularisation")
struct NodePotentialRegularisationTests {
    /// A time-ordered ladder: node i cites i - 1 and i - 2. Every inner node has out-degree 2 and
    /// in-degree 2, so only the chains, which small alpha follows, say who is older.
    static func ladder(_ n: Int) -> DirectedGraph {
        var edges: [DirectedGraph.Edge] = []
        for i in 1..<n { edges.append(.init(source: Int32(i), target: Int32(i - 1))) }
        for i in 2..<n { edges.append(.init(source: Int32(i), target: Int32(i - 2))) }
        return DirectedGraph(nodeNames: (0..<n).map(String.init), edges: edges)
    }

    /// Many leaves pointing at a few hubs, and hub -> leaf edges against that order: what orients a
    /// pair is who has more in-links, which large alpha (net out-degree) reads without the noise
    /// small alpha carries along paths through the hubs.
    static func hubs(seed: UInt64) -> DirectedGraph {
        var generator = SeededGenerator(seed: seed)
        let hubCount = 12, leafCount = 400
        var edges = Set<DirectedGraph.Edge>()
        for leaf in 0..<leafCount {
            for _ in 0..<3 { edges.insert(.init(source: Int32(hubCount + leaf), target: Int32(generator.next() % UInt64(hubCount)))) }
        }
        for hub in 0..<hubCount {
            for _ in 0..<25 { edges.insert(.init(source: Int32(hub), target: Int32(hubCount + Int(generator.next() % UInt64(leafCount))))) }
        }
        return DirectedGraph(nodeNames: (0..<(hubCount + leafCount)).map(String.init), edges: Array(edges))
    }

    static func split(_ graph: DirectedGraph, seed: UInt64) throws -> (training: DirectedGraph, validation: [DirectedGraph.Edge]) {
        var generator = SeededGenerator(seed: seed)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.2, testFraction: 0, using: &generator)
        return (graph.withEdges(split.training), split.validation)
    }

    @Test func withoutFoldsTheAUCsAreThePotentialsOnTheValidationEdges() throws {
        let graph = Self.hubs(seed: 4)
        let (training, validation) = try Self.split(graph, seed: 4)
        let choice = NodePotential.chooseRegularisation(graph: training, known: graph, validation: validation, seed: 4, folds: 0)
        let oneWay = validation.filter(graph.isOneWay)
        #expect(choice.pairs == oneWay.count)
        #expect(choice.directionAUCs.count == NodePotential.regularisationGrid.count)
        for (alpha, auc) in zip(NodePotential.regularisationGrid, choice.directionAUCs) {
            let phi = NodePotential.springRank(training, alpha: alpha)
            let wins = oneWay.reduce(0.0) { total, edge in
                let gap = phi[Int(edge.source)] - phi[Int(edge.target)]
                return total + (gap > 0 ? 1 : gap == 0 ? 0.5 : 0)
            }
            #expect(abs(auc - wins / Double(oneWay.count)) < 1e-12)
        }
        let best = choice.directionAUCs.max()!
        #expect(choice.directionAUCs[NodePotential.regularisationGrid.firstIndex(of: choice.alpha)!] == best)
    }

    @Test func eachKindOfGraphGetsItsAlpha() throws {
        let ladder = Self.ladder(400)
        let (ladderTraining, ladderValidation) = try Self.split(ladder, seed: 1)
        let chain = NodePotential.chooseRegularisation(graph: ladderTraining, known: ladder, validation: ladderValidation, seed: 1)
        let hubs = Self.hubs(seed: 2)
        let (hubTraining, hubValidation) = try Self.split(hubs, seed: 2)
        let degree = NodePotential.chooseRegularisation(graph: hubTraining, known: hubs, validation: hubValidation, seed: 2)
        #expect(chain.alpha < degree.alpha, "\(chain.summary) | \(degree.summary)")
        // The folds pool more held-out edges than validation alone.
        #expect(chain.pairs > ladderValidation.filter(ladder.isOneWay).count)
    }

    @Test func tooFewOneWayEdgesKeepTheDefaultAndTheChoiceIsSeeded() throws {
        let graph = Self.hubs(seed: 6)
        let (training, validation) = try Self.split(graph, seed: 6)
        let few = NodePotential.chooseRegularisation(graph: training, known: graph, validation: Array(validation.prefix(10)), seed: 6)
        #expect(few.alpha == NodePotential.defaultRegularisation && few.directionAUCs.isEmpty)
        let a = NodePotential.chooseRegularisation(graph: training, known: graph, validation: validation, seed: 6)
        let b = NodePotential.chooseRegularisation(graph: training, known: graph, validation: validation, seed: 6)
        #expect(a == b)
    }

    @Test func theBlendCarriesItsAlphaIntoTheServedPotential() throws {
        let graph = Self.hubs(seed: 8)
        let (training, validation) = try Self.split(graph, seed: 8)
        var fitter = NeighbourhoodBlendFitter()
        fitter.potentialRegularisation = 32
        let (blend, _) = fitter.fit(base: nil, embeddingBlocks: [], graph: training, known: graph, validation: validation, seed: 8)
        #expect(blend.potentialRegularisation == 32)
        #expect(blend.addingSourcePotential(1).potentialRegularisation == 32)
        // The served model's source-potential column is the alpha-32 potential, scaled.
        let served = blend.addingSourcePotential(1).model(base: nil, graph: graph, method: "walks")
        let phi = NodePotential.springRank(graph, alpha: 32)
        let width = served.sourceEmbeddings.columns
        let weight = blend.sourcePotentialWeight + 1
        for node in [0, 5, 100] {
            #expect(abs(served.sourceEmbeddings.values[node * width + width - 1] - weight * phi[node]) < 1e-4)
        }
    }

    @Test func oneSplitChoosesAlphaOnceAndTheCachedChoiceChangesNothing() throws {
        let graph = Self.hubs(seed: 3)
        let (training, validation) = try Self.split(graph, seed: 3)
        let cache = RelatedFitCache()
        let base = DirectedGNNConfiguration()
        let baseline = try RelatedTraining.fit(.springrank, base: base, training: training, validation: validation,
                                               servingGraph: training, seed: 3, cache: cache)
        let stored = try #require(cache.regularisation)
        #expect(String(stored.alpha) == baseline.details["springrank_alpha"])
        let search = BlendSearch(budget: 1)
        let cached = try RelatedTraining.fit(.walks, base: base, training: training, validation: validation,
                                             servingGraph: training, seed: 3, search: search, cache: cache)
        let fresh = try RelatedTraining.fit(.walks, base: base, training: training, validation: validation,
                                            servingGraph: training, seed: 3, search: search)
        #expect(cached.details["blend_potential_alpha_trials"] == stored.summary)
        #expect(cached.details["blend_potential_alpha"] == fresh.details["blend_potential_alpha"])
        #expect(cached.model.sourceEmbeddings.values == fresh.model.sourceEmbeddings.values)
        #expect(cached.model.targetEmbeddings.values == fresh.model.targetEmbeddings.values)
    }
}
