import Foundation
import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

/// A small design: `queries` groups of `group` rows (target first) of width 3, plus direction pairs.
private func smallObjective(directionWeight: Float = 0.7, l2: Float = 0.05) -> BlendObjective {
    var generator = SeededGenerator(seed: 42)
    let queries = 5, group = 4, width = 3
    let features = Matrix.normal(rows: queries * group, columns: width, standardDeviation: 1, using: &generator)
    let pairs = Matrix.normal(rows: 6, columns: width, standardDeviation: 1, using: &generator)
    let offsets = (0..<(queries * group)).map { Float($0 % group == 0 ? 0 : 0.3) }
    return BlendObjective(features: features, offsets: offsets, queryStarts: (0...queries).map { $0 * group }, pairs: pairs,
                          directionWeight: directionWeight, l2: l2)
}

@Suite("Blend objective and its validation search")
struct BlendSearchTests {
    /// A seeded power-law graph split into training and validation edges, its training graph and
    /// every known edge (training plus validation).
    static func splitPowerLawGraph(nodes: Int, edges: Int, seed: UInt64) throws
        -> (split: EdgeSplit, training: DirectedGraph, known: DirectedGraph) {
        var generator = SeededGenerator(seed: seed)
        let graph = try PowerLawGraphGenerator(nodes: nodes, edges: edges).generate(seed: seed)
        let split = try EdgeSplit(graph: graph, using: &generator)
        return (split, graph.withEdges(split.training), graph.withEdges(split.training + split.validation))
    }

    @Test func gradientAndHessianMatchFiniteDifferences() {
        let objective = smallObjective()
        let theta: [Float] = [0.3, -0.2, 0.5]
        let (_, gradient, hessian) = objective.evaluate(theta)
        let h: Float = 1e-2
        for j in 0..<3 {
            var plus = theta, minus = theta
            plus[j] += h
            minus[j] -= h
            let numeric = (objective.value(plus) - objective.value(minus)) / Double(2 * h)
            #expect(abs(numeric - gradient[j]) < 1e-3 * max(1, abs(gradient[j])), "gradient \(j): \(numeric) vs \(gradient[j])")
            let gPlus = objective.evaluate(plus).gradient, gMinus = objective.evaluate(minus).gradient
            for i in 0..<3 {
                let numericHessian = (gPlus[i] - gMinus[i]) / Double(2 * h)
                #expect(abs(numericHessian - hessian[i * 3 + j]) < 2e-3 * max(1, abs(hessian[i * 3 + j])), "hessian \(i),\(j)")
            }
        }
    }

    @Test func newtonReachesTheStationaryPoint() {
        let objective = smallObjective()
        let start: [Float] = [0, 0, 0]
        let (theta, value, steps) = objective.minimise(from: start)
        let gradient = objective.evaluate(theta).gradient
        #expect(gradient.map { $0 * $0 }.reduce(0, +).squareRoot() < 1e-3)
        #expect(value < objective.value(start))
        #expect(steps < 50)
    }

    @Test func oneQueryMinimumMatchesItsClosedForm() {
        // Rows x = +1 (target) and -1, no pairs: L = log(e^t + e^-t) - t + l2 t^2 / 2,
        // so L'(t) = tanh(t) - 1 + l2 t = 0; solved here by bisection.
        let l2: Float = 0.1
        let objective = BlendObjective(features: Matrix(rows: 2, columns: 1, values: [1, -1]), offsets: [0, 0], queryStarts: [0, 2],
                                       pairs: Matrix(rows: 0, columns: 1), directionWeight: 0, l2: l2)
        var low = 0.0, high = 20.0
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if tanh(mid) - 1 + Double(l2) * mid < 0 { low = mid } else { high = mid }
        }
        let theta = objective.minimise(from: [0]).theta
        #expect(abs(Double(theta[0]) - low) < 1e-3, "\(theta[0]) vs \(low)")
    }

    @Test func choleskySolvesAndRefusesIndefiniteMatrices() {
        let x = BlendObjective.solve([4, 2, 2, 3], [2, 1], size: 2)!
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1]) < 1e-12)
        #expect(BlendObjective.solve([1, 2, 2, -5], [1, 1], size: 2) == nil)
    }

    @Test func settingsStartWithTheDefaultsAndAreSeeded() throws {
        let search = BlendSearch(budget: 5)
        let settings = search.settings(seed: 3)
        #expect(settings.count == 5)
        #expect(settings.first == .defaults)
        #expect(Set(settings.map(\.description)).count == 5)
        #expect(settings == search.settings(seed: 3))
        #expect(BlendSearch(budget: BlendSearch.grid.count).settings(seed: 1).count == BlendSearch.grid.count)
        #expect(throws: RelatedError.self) { try BlendSearch(budget: 0).validate() }
        #expect(throws: RelatedError.self) { try BlendSearch(budget: BlendSearch.grid.count + 1).validate() }
    }

    @Test func choiceBuysRankingOnlyWithNegligibleDirection() {
        func trial(_ weight: Float, _ mrr: Double, _ auc: Double?) -> BlendSearch.Trial {
            .init(setting: .init(directionWeight: weight, l2: 1e-3), meanReciprocalRank: mrr, directionAUC: auc)
        }
        let search = BlendSearch()
        // 0.3 has the best MRR but gives up 0.02 direction AUC; 1 is within 0.005 of the best and ranks better than 3.
        let trials = [trial(3, 0.30, 0.950), trial(1, 0.31, 0.946), trial(0.3, 0.35, 0.930)]
        #expect(search.choose(trials)?.directionWeight == 1)
        // Without one-way edges, MRR alone decides.
        #expect(search.choose([trial(3, 0.30, nil), trial(0.3, 0.35, nil)])?.directionWeight == 0.3)
        #expect(search.choose([]) == nil)
    }

    @Test func searchIsDeterministicAndReportsEveryTrial() throws {
        let (split, training, known) = try Self.splitPowerLawGraph(nodes: 300, edges: 1200, seed: 9)
        var search = BlendSearch(budget: 3)
        search.minimumValidationEdges = 20
        let first = search.search(base: nil, embeddingBlocks: [], graph: training, known: known, validation: split.validation, seed: 4)
        let second = search.search(base: nil, embeddingBlocks: [], graph: training, known: known, validation: split.validation, seed: 4)
        #expect(first.trials.count == 3)
        #expect(first.chosen == second.chosen)
        #expect(first.trials.map(\.meanReciprocalRank) == second.trials.map(\.meanReciprocalRank))
        #expect(first.trials.allSatisfy { $0.meanReciprocalRank > 0 && $0.meanReciprocalRank <= 1 })
        #expect(BlendSearch(budget: 1).search(base: nil, embeddingBlocks: [], graph: training, known: known,
                                             validation: split.validation, seed: 4).trials.isEmpty)
        // Too few validation edges for the folds to tell settings apart: the defaults, untried.
        let small = BlendSearch(budget: 3).search(base: nil, embeddingBlocks: [], graph: training, known: known,
                                                  validation: split.validation, seed: 4)
        #expect(small.trials.isEmpty && small.chosen == .defaults)
    }

    /// Embeddings that know every validation edge (u's row one-hot, v's row the known in-links'
    /// indicator), and embeddings of noise.
    static func blocks(_ graph: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge],
                       oracle: Bool) -> RelatedItemModel {
        let n = graph.nodeCount
        var generator = SeededGenerator(seed: 5)
        var source = Matrix(rows: n, columns: n), target = Matrix(rows: n, columns: n)
        if oracle {
            for u in 0..<n { source.values[u * n + u] = 1 }
            for edge in validation { target.values[Int(edge.target) * n + Int(edge.source)] = 1 }
        } else {
            source = Matrix.normal(rows: n, columns: n, standardDeviation: 1, using: &generator)
            target = Matrix.normal(rows: n, columns: n, standardDeviation: 1, using: &generator)
        }
        return RelatedItemModel(method: "blocks", graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
    }

    @Test func theLastTrialAsksWhetherTheEmbeddingsEarnTheirPlace() throws {
        let (split, training, known) = try Self.splitPowerLawGraph(nodes: 300, edges: 1500, seed: 9)
        var search = BlendSearch(budget: 3)
        search.minimumValidationEdges = 20
        for oracle in [true, false] {
            let base = Self.blocks(training, known: known, validation: split.validation, oracle: oracle)
            let result = search.search(base: base, embeddingBlocks: [0..<300], graph: training, known: known,
                                       validation: split.validation, seed: 4)
            #expect(result.trials.count == 4)
            let last = try #require(result.trials.last)
            #expect(!last.setting.usesEmbeddings && result.trials.dropLast().allSatisfy(\.setting.usesEmbeddings))
            let best = try #require(search.choose(Array(result.trials.dropLast())))
            #expect(last.setting.directionWeight == best.directionWeight && last.setting.l2 == best.l2)
            if oracle {
                // Embeddings that know the held-out edges rank them far above walks alone: kept.
                #expect(result.chosen.usesEmbeddings)
                #expect(result.trials[0].meanReciprocalRank > last.meanReciprocalRank + 0.1, "\(result.trials.map(\.summary))")
            } else {
                #expect(result.chosen == search.choose(result.trials))
            }
        }
        // No blocks: nothing to drop, no extra trial.
        #expect(search.search(base: nil, embeddingBlocks: [], graph: training, known: known, validation: split.validation, seed: 4).trials.count == 3)
    }

    @Test func aDesignWithoutEmbeddingsKeepsItsRowsAndDropsTheBlocksColumns() throws {
        let (split, training, known) = try Self.splitPowerLawGraph(nodes: 200, edges: 900, seed: 3)
        let base = Self.blocks(training, known: known, validation: split.validation, oracle: false)
        let design = NeighbourhoodBlendFitter().design(base: base, embeddingBlocks: [0..<100, 100..<200], graph: training, known: known,
                                                       validation: split.validation, seed: 3)
        let without = design.withoutEmbeddings()
        #expect(without.blocks.isEmpty && without.queries == design.queries)
        #expect(without.objectiveFeatures.rows == design.objectiveFeatures.rows)
        #expect(without.objectiveFeatures.columns == design.objectiveFeatures.columns - 2 && without.scale == Array(design.scale.dropFirst(2)))
        let width = design.objectiveFeatures.columns
        for r in [0, design.objectiveFeatures.rows / 2, design.objectiveFeatures.rows - 1] {
            #expect(Array(without.objectiveFeatures.values[(r * (width - 2))..<((r + 1) * (width - 2))])
                    == Array(design.objectiveFeatures.values[(r * width + 2)..<((r + 1) * width)]))
        }
        let (blend, _) = NeighbourhoodBlendFitter().solve(without)
        #expect(blend.blockWeights.isEmpty)
        #expect(without.withoutEmbeddings().objectiveFeatures.values == without.objectiveFeatures.values)
    }
}
