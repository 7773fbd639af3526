import Foundation
import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

/// The battery every related-items method passes, as benfred/implicit runs one set of tests over
/// every recommender: fitted through `RelatedTraining.fit` on the same small graph, each method's
/// model scores every pair with a finite number, recommends sorted lists that never hold the item
/// itself or its known targets, keeps `exclude` out, is the same model for the same seed, and comes
/// back from its files with the very same scores.
@Suite("Every related-items method")
struct RelatedMethodConformanceTests {
    static let graph = randomGraph(nodes: 150, seed: 11)

    /// One seeded split and fit of `method` with quick settings.
    static func fit(_ method: RelatedMethod, seed: UInt64) throws -> RelatedItemModel {
        var generator = SeededGenerator(seed: seed)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.1, testFraction: 0, using: &generator)
        let training = graph.withEdges(split.training)
        var base = smallConfiguration(.hybrid)
        base.maximumEpochs = 4
        base.patience = 4
        return try RelatedTraining.fit(method, base: base, training: training, validation: split.validation,
                                       servingGraph: training, seed: seed, search: BlendSearch(budget: 1)).model
    }

    @Test(arguments: RelatedMethod.allCases)
    func scoresAreFiniteAndListsAreSortedWithoutSelfOrKnownTargets(_ method: RelatedMethod) throws {
        let model = try Self.fit(method, seed: 1)
        #expect(model.itemCount == Self.graph.nodeCount)
        let scores = model.scores(forSources: (0..<Int32(model.itemCount)).map { $0 })
        #expect(scores.values.allSatisfy { $0.isFinite }, "\(method.rawValue): a score is not finite")
        let lists = model.recommendAll(count: 10)
        for (source, list) in lists.enumerated() {
            let known = Set(model.graph.outNeighbours(of: Int32(source)))
            let available = model.itemCount - 1 - known.count
            #expect(list.count == min(10, available))
            #expect(!list.contains { $0.index == Int32(source) || known.contains($0.index) }, "\(method.rawValue): item \(source)")
            #expect(zip(list, list.dropFirst()).allSatisfy { $0.score >= $1.score })
            // Each listed score is the model's score of that pair.
            #expect(list.allSatisfy { abs($0.score - model.score(source: Int32(source), target: $0.index)) <= 1e-4 * max(1, abs($0.score)) })
        }
        let first = try #require(lists[0].first)
        let excluded = try model.recommend(for: "n0", count: 5, excluding: ["n\(first.index)"])
        #expect(!excluded.contains { $0.item == "n\(first.index)" })
    }

    @Test(arguments: RelatedMethod.allCases)
    func sameSeedSameModelAndFilesKeepTheScores(_ method: RelatedMethod) throws {
        let model = try Self.fit(method, seed: 2)
        let again = try Self.fit(method, seed: 2)
        let sources: [Int32] = [0, 7, 42, 149]
        #expect(model.scores(forSources: sources) == again.scores(forSources: sources), "\(method.rawValue) is not seeded")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(method.rawValue)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try model.save(to: directory)
        let loaded = try RelatedItemModel.load(from: directory)
        #expect(loaded.method == model.method)
        #expect(loaded.scores(forSources: sources) == model.scores(forSources: sources), "\(method.rawValue): files change the scores")
    }
}
