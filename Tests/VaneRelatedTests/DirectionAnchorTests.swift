import Foundation
import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

@Suite("Direction anchor")
struct DirectionAnchorTests {
    @Test func directionAUCCountsTiesAsHalf() {
        // D + alpha gap: alpha 0 gives 1, -1, 0 (AUC (1 + 0 + 1/2) / 3); alpha 2 gives 3, 1, 2.
        #expect(DirectionAnchor.directionAUC(differences: [1, -1, 0], potentialGaps: [1, 1, 1], alpha: 0) == 0.5)
        #expect(DirectionAnchor.directionAUC(differences: [1, -1, 0], potentialGaps: [1, 1, 1], alpha: 2) == 1)
        #expect(DirectionAnchor.directionAUC(differences: [], potentialGaps: [], alpha: 1) == 0.5)
    }

    @Test func theMixingMultipleFollowsTheSignalThatOrients() {
        var generator = SeededGenerator(seed: 3)
        func noise() -> Double { generator.nextUnitDouble() * 2 - 1 }
        // The gap orients every pair (all positive), D is noise: all weight on the gap.
        let gapOrients = (0..<400).map { _ in (d: noise(), gap: 0.2 + generator.nextUnitDouble()) }
        #expect(DirectionAnchor.mixingMultiple(gapOrients, bounds: 0...8) == 8)
        // D orients, the gap is noise: no weight on the gap.
        let differenceOrients = (0..<400).map { _ in (d: 0.2 + generator.nextUnitDouble(), gap: noise()) }
        #expect(DirectionAnchor.mixingMultiple(differenceOrients, bounds: 0...8) < 0.5)
        // Both orient alike, symmetric noise: about equal weights.
        let both = (0..<4000).map { _ -> (d: Double, gap: Double) in
            let truth = 0.5
            return (truth + noise(), truth + noise())
        }
        let multiple = DirectionAnchor.mixingMultiple(both, bounds: 0...8)
        #expect(multiple > 0.7 && multiple < 1.4, "\(multiple)")
    }

    @Test func anchoringKeepsEverySourcesRankingAndMovesOnlyDirection() throws {
        let (graph, split, training) = try splitRandomGraph(nodes: 80, seed: 5, validationFraction: 0.2)
        let (blend, _) = NeighbourhoodBlendFitter().fit(base: nil, embeddingBlocks: [], graph: training, known: graph,
                                                        validation: split.validation, seed: 5)
        let alpha: Float = 3
        let plain = blend.model(base: nil, graph: training, method: "walks")
        let anchored = blend.addingSourcePotential(alpha).model(base: nil, graph: training, method: "walks")
        let sources: [Int32] = [0, 3, 17, 42]
        let before = plain.scores(forSources: sources), after = anchored.scores(forSources: sources)
        let phi = NodePotential.springRank(training)
        let n = training.nodeCount
        for (row, source) in sources.enumerated() {
            let a = Array(before.values[(row * n)..<((row + 1) * n)]), b = Array(after.values[(row * n)..<((row + 1) * n)])
            #expect((0..<n).sorted { (a[$0], $1) > (a[$1], $0) } == (0..<n).sorted { (b[$0], $1) > (b[$1], $0) })
            for item in 0..<n { #expect(abs(b[item] - a[item] - alpha * phi[Int(source)]) < 1e-3) }
        }
        // The anchor adds alpha (phi_u - phi_v) to score(u -> v) - score(v -> u).
        let pair = split.validation[0]
        let reverse = DirectedGraph.Edge(source: pair.target, target: pair.source)
        let moved = (anchored.score(source: pair.source, target: pair.target) - anchored.score(source: reverse.source, target: reverse.target))
            - (plain.score(source: pair.source, target: pair.target) - plain.score(source: reverse.source, target: reverse.target))
        #expect(abs(moved - alpha * (phi[Int(pair.source)] - phi[Int(pair.target)])) < 1e-3)
    }

    @Test func theChoiceIsDeterministicAndNeedsEnoughOneWayEdges() throws {
        let (graph, split, training) = try splitRandomGraph(nodes: 150, seed: 9, validationFraction: 0.3)
        let anchor = DirectionAnchor(), fitter = NeighbourhoodBlendFitter()
        func anchored(_ validation: [DirectedGraph.Edge]) -> (blend: NeighbourhoodBlend, choice: DirectionAnchor.Choice, alpha: Float) {
            let (blend, _) = fitter.fit(base: nil, embeddingBlocks: [], graph: training, known: graph, validation: validation, seed: 9)
            return anchor.anchored(blend, fitter: fitter, base: nil, embeddingBlocks: [], graph: training, known: graph,
                                   validation: validation, seed: 9)
        }
        func choose(_ validation: [DirectedGraph.Edge]) -> DirectionAnchor.Choice { anchored(validation).choice }
        let first = choose(split.validation), second = choose(split.validation)
        #expect(first.pairs >= anchor.minimumPairs && !first.trials.isEmpty)
        #expect(first == second)
        #expect((0...8).contains(first.multiple))
        let few = anchored(Array(split.validation.prefix(anchor.minimumPairs - 1)))
        #expect(few.choice == .none && few.alpha == 0)
    }
}
