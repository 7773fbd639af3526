import Foundation
import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

@Suite("Top-K, evaluation and model files")
struct RecommenderTests {
    func randomModel(graph: DirectedGraph, seed: UInt64) -> RelatedItemModel {
        var generator = SeededGenerator(seed: seed)
        return RelatedItemModel(method: "random", graph: graph,
                                sourceEmbeddings: .normal(rows: graph.nodeCount, columns: 5, standardDeviation: 1, using: &generator),
                                targetEmbeddings: .normal(rows: graph.nodeCount, columns: 5, standardDeviation: 1, using: &generator))
    }

    @Test func topKMatchesBruteForce() throws {
        let graph = randomGraph(nodes: 200, seed: 1)
        let model = randomModel(graph: graph, seed: 2)
        let all = model.recommendAll(count: 7)
        for source in [Int32(0), 17, 199] {
            let known = Set(graph.outNeighbours(of: source))
            let expected = (0..<Int32(200)).filter { $0 != source && !known.contains($0) }
                .sorted { model.score(source: source, target: $0) > model.score(source: source, target: $1) }
                .prefix(7)
            #expect(all[Int(source)].map(\.index) == Array(expected))
            let named = try model.recommend(for: "n\(source)", count: 7)
            #expect(named.map(\.item) == expected.map { "n\($0)" })
            // Including known neighbours can only raise the scores at each position.
            let withKnown = try model.recommend(for: "n\(source)", count: 7, excludingKnown: false)
            #expect(zip(withKnown, named).allSatisfy { $0.score >= $1.score })
        }
        let excluded = try model.recommend(for: "n0", count: 3, excluding: [all[0][0].index].map { "n\($0)" })
        #expect(!excluded.map(\.item).contains("n\(all[0][0].index)"))
    }

    @Test func topKSelectorKeepsBestAndBreaksTiesByIndex() {
        var selector = TopKSelector(capacity: 3)
        for (index, score) in [Float(1), 5, 3, 5, 0, 4].enumerated() { selector.offer(score: score, index: Int32(index)) }
        #expect(selector.sorted().map(\.index) == [1, 3, 5])
    }

    @Test func unknownItemAndBadCount() throws {
        let model = randomModel(graph: randomGraph(nodes: 20, seed: 1), seed: 1)
        #expect { _ = try model.recommend(for: "nope", count: 3) } throws: { ($0 as? RelatedError)?.code == .unknownItem }
        #expect { _ = try model.recommend(for: "n1", count: 0) } throws: { ($0 as? RelatedError)?.code == .invalidRequest }
    }

    @Test func filteredRanksWithTiesAtHalfRank() {
        // Source 0 -> known 1; scores of targets for source 0: [x, 5, 3, 3, 1] via target embeddings.
        let graph = DirectedGraph(nodeNames: ["a", "b", "c", "d", "e"], edges: [.init(source: 0, target: 1), .init(source: 2, target: 3)])
        let model = RelatedItemModel(method: "hand", graph: graph,
                                     sourceEmbeddings: Matrix(rows: 5, columns: 1, repeating: 1),
                                     targetEmbeddings: Matrix(column: [9, 5, 3, 3, 1]))
        let evaluator = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: graph)
        // Query 0 -> 2: candidates exclude 0 (self) and 1 (known): {2: 3, 3: 3, 4: 1} -> rank 1 + 0 + 1/2.
        // Query 0 -> 4: 2 and 3 are higher -> rank 3.
        let ranks = evaluator.ranks(of: model, queries: [.init(source: 0, target: 2), .init(source: 0, target: 4)])
        #expect(ranks == [1.5, 3])
        // Direction: score(u->v) = t_v, so 0 -> 4 loses to 4 -> 0 (1 < 9).
        let evaluation = evaluator.evaluate(model, test: [.init(source: 0, target: 4)])
        #expect(evaluation.directionAUC == 0)
        #expect(evaluation.byDegree["1"]?.queries == 1)
    }

    @Test func directionIsBucketedByTheSmallerEndpointDegree() {
        // Training graph: 0 -> 1, 0 -> 2, 3 -> 1 (degrees 2, 2, 1, 1; node 4 has none).
        let graph = DirectedGraph(nodeNames: ["a", "b", "c", "d", "e"],
                                  edges: [.init(source: 0, target: 1), .init(source: 0, target: 2), .init(source: 3, target: 1)])
        // score(u -> v) = t_v with t = [0, 5, 3, 1, 2]: an edge wins when its target's t is larger.
        let model = RelatedItemModel(method: "hand", graph: graph, sourceEmbeddings: Matrix(rows: 5, columns: 1, repeating: 1),
                                     targetEmbeddings: Matrix(column: [0, 5, 3, 1, 2]))
        let evaluator = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: graph)
        // 0 -> 4: min degree 0, wins (2 > 0). 4 -> 3: min degree 0, wins (1 > 2? no: loses).
        // 3 -> 2: min(1, 1) = 1, wins (3 > 1). 1 -> 2: min(2, 1) = 1, loses (3 > 5? no).
        // 2 -> 1: known reverse? no (only 0 -> 2, 0 -> 1, 3 -> 1): min(1, 2) = 1, wins (5 > 3).
        let test: [DirectedGraph.Edge] = [.init(source: 0, target: 4), .init(source: 4, target: 3), .init(source: 3, target: 2),
                                          .init(source: 1, target: 2), .init(source: 2, target: 1)]
        let evaluation = evaluator.evaluate(model, test: test)
        #expect(evaluation.directionByDegree["0"]?.pairs == 2)
        #expect(evaluation.directionByDegree["0"]?.directionAUC == 0.5)
        #expect(evaluation.directionByDegree["1"]?.pairs == 3)
        #expect(evaluation.directionByDegree["1"].map { abs($0.directionAUC - 2.0 / 3) < 1e-12 } == true)
        #expect(evaluation.directionByDegree["2-4"] == nil)
        #expect(evaluation.directionAUC.map { abs($0 - 3.0 / 5) < 1e-12 } == true)
    }

    @Test func saveLoadRoundTrip() throws {
        let graph = randomGraph(nodes: 30, seed: 4)
        let model = randomModel(graph: graph, seed: 5)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-model-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try model.save(to: directory, details: ["note": "test"])
        let loaded = try RelatedItemModel.load(from: directory)
        #expect(loaded.method == "random")
        #expect(loaded.sourceEmbeddings == model.sourceEmbeddings && loaded.targetEmbeddings == model.targetEmbeddings)
        #expect(loaded.graph.edges == graph.edges && loaded.graph.nodeNames == graph.nodeNames)
        #expect(try loaded.recommend(for: "n3", count: 5).map(\.item) == model.recommend(for: "n3", count: 5).map(\.item))
    }

    @Test func corruptModelDirectoryIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-bad-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect { _ = try RelatedItemModel.load(from: directory) } throws: { ($0 as? RelatedError)?.code == .modelFile }
        let model = randomModel(graph: randomGraph(nodes: 10, seed: 1), seed: 1)
        try model.save(to: directory)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("embeddings.safetensors"))
        #expect { _ = try RelatedItemModel.load(from: directory) } throws: { ($0 as? RelatedError)?.code == .modelFile }
    }

    @Test func popularityRanksByInDegree() throws {
        let graph = try catalogueGraph()
        let model = PopularityBaseline.fit(graph: graph)
        let top = try model.recommend(for: "phone0", count: 3, excludingKnown: false)
        let bestInDegree = (0..<graph.nodeCount).map { graph.inDegree(of: Int32($0)) }.max()!
        #expect(graph.inDegree(of: graph.id(of: top[0].item)!) == bestInDegree)
    }

    @Test func springRankScoresThePotentialDropAndOrientsAChain() throws {
        // A chain a -> b -> c -> d: the potential falls along it, so every item's list is the chain
        // order below (and above) it, and each edge scores above its reverse.
        let graph = DirectedGraph(nodeNames: ["a", "b", "c", "d"],
                                  edges: [.init(source: 0, target: 1), .init(source: 1, target: 2), .init(source: 2, target: 3)])
        let model = PotentialBaseline.fit(graph: graph)
        let potential = NodePotential.springRank(graph)
        #expect(potential[0] > potential[1] && potential[1] > potential[2] && potential[2] > potential[3])
        for u in Int32(0)..<4 {
            for v in Int32(0)..<4 {
                #expect(abs(model.score(source: u, target: v) - (potential[Int(u)] - potential[Int(v)])) < 1e-5)
            }
        }
        #expect(try model.recommend(for: "a", count: 3, excludingKnown: false).map(\.item) == ["d", "c", "b"])
        let evaluation = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: graph)
            .evaluate(model, test: [.init(source: 0, target: 2), .init(source: 1, target: 3), .init(source: 3, target: 0)])
        #expect(abs((evaluation.directionAUC ?? 0) - 2.0 / 3) < 1e-12)
    }
}
