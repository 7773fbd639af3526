import Foundation
import Testing
import VaneGraph
import VaneIO
import VaneTensor
@testable import VaneRelated

/// The top-targets index: agrees with the exact scan, knows when it cannot answer, and refuses files
/// that are stale, edited or damaged.
@Suite("Top-targets index")
struct RelatedItemIndexTests {
    /// Random embeddings plus the P3 walk term, so both parts of the score are indexed.
    func model(nodes: Int = 200, seed: UInt64 = 4) -> RelatedItemModel {
        let graph = randomGraph(nodes: nodes, seed: seed)
        return randomEmbeddingModel(graph: graph, columns: 6, seed: seed + 1, neighbourhood: P3Baseline.model(graph: graph, beta: 0.3).neighbourhood)
    }

    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vane-index-\(UUID().uuidString)").path
    }

    /// A saved model, its index built from the directory, and the model as loaded.
    func savedModelWithIndex(count: Int = 20) throws -> (directory: String, model: RelatedItemModel, index: RelatedItemIndex) {
        let directory = temporaryDirectory()
        let saved = try model().save(to: directory)
        let index = try RelatedItemIndex.build(forModelIn: directory, count: count)
        let loaded = try RelatedItemModel.load(from: directory)
        // The fingerprint save(to:) returns is the one load finds: an index built in memory from it matches the files.
        #expect(saved == loaded.fileFingerprint)
        return (directory, loaded, index)
    }

    @Test func answersAgreeWithTheExactScanOrDeclineToAnswer() throws {
        let (directory, model, index) = try savedModelWithIndex(count: 20)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var generator = SeededGenerator(seed: 9)
        var answered = 0, declined = 0
        for source in 0..<Int32(model.itemCount) {
            for count in [1, 5, 20, 30] {
                // Exclude some of the stored targets and some random items.
                let stored = index.storedTargets(of: source).map(\.index)
                var excluded = Set(stored.filter { _ in generator.nextUnitDouble() < 0.3 })
                for _ in 0..<3 { excluded.insert(Int32(generator.nextIndex(below: model.itemCount))) }
                let query = TopTargetsQuery(source: source, count: count, excluded: excluded)
                let exact = model.topTargets(for: [query])[0]
                guard let fromIndex = index.topTargets(for: query) else {
                    declined += 1
                    // It declines only when the stored list, less the exclusions, is too short.
                    #expect(stored.filter { !excluded.contains($0) }.count < count && stored.count == index.count)
                    continue
                }
                answered += 1
                #expect(fromIndex.map(\.index) == exact.map(\.index), "source \(source), k \(count)")
                for (a, b) in zip(fromIndex, exact) { #expect(abs(a.score - b.score) <= 1e-4 * max(1, abs(b.score))) }
            }
        }
        #expect(answered > 300 && declined > 200, "answered \(answered), declined \(declined)")
        // Queries that keep known neighbours are never answered from the index.
        #expect(index.topTargets(for: TopTargetsQuery(source: 0, count: 1, excludingKnown: false)) == nil)
    }

    @Test func shortListsHoldEveryCandidate() throws {
        // 4 items: a source has at most 3 candidates, fewer than the 10 kept, so every answer is complete.
        let graph = DirectedGraph(nodeNames: ["a", "b", "c", "d"], edges: [.init(source: 0, target: 1)])
        let model = RelatedItemModel(method: "test", graph: graph, sourceEmbeddings: Matrix([[1], [1], [1], [1]]),
                                     targetEmbeddings: Matrix([[4], [3], [2], [1]]))
        let index = try RelatedItemIndex(model: model, count: 10, modelFingerprint: ContentFingerprint(value: 7))
        #expect(index.storedTargets(of: 0).map(\.index) == [2, 3])  // b is known, a is itself
        #expect(index.topTargets(for: TopTargetsQuery(source: 0, count: 5, excluded: [2]))?.map(\.index) == [3])
        #expect(index.topTargets(for: TopTargetsQuery(source: 3, count: 3))?.map(\.score) == [4, 3, 2])
    }

    @Test func fileRoundTripIsMappedAndIdentical() throws {
        let (directory, model, built) = try savedModelWithIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loaded = try #require(try RelatedItemIndex.loadIfPresent(modelDirectory: directory, for: model))
        guard case .mapped = loaded.storage else { Issue.record("a loaded index is memory-mapped"); return }
        #expect(loaded.count == 20 && loaded.itemCount == model.itemCount && loaded.modelFingerprint == model.fileFingerprint)
        for source in 0..<Int32(model.itemCount) {
            #expect(loaded.storedTargets(of: source).map(\.index) == built.storedTargets(of: source).map(\.index))
            #expect(loaded.storedTargets(of: source).map(\.score) == built.storedTargets(of: source).map(\.score))
        }
        // No file: no index.
        let bare = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: bare) }
        try model.save(to: bare)
        #expect(try RelatedItemIndex.loadIfPresent(modelDirectory: bare, for: try RelatedItemModel.load(from: bare)) == nil)
    }

    @Test func anIndexOfOtherModelFilesIsRefused() throws {
        let (directory, _, _) = try savedModelWithIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Retrain (different embeddings, same items) without rebuilding the index.
        try model(seed: 4).save(to: directory, details: ["retrained": "yes"])
        let retrained = try RelatedItemModel.load(from: directory)
        #expect { _ = try RelatedItemIndex.loadIfPresent(modelDirectory: directory, for: retrained) } throws: { error in
            (error as? RelatedError)?.code == .modelFile && "\(error)".contains("model changed after the index was written")
                && "\(error)".contains(RelatedItemIndex.fileName)
        }
        // Another catalogue altogether.
        let other = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: other) }
        try model(nodes: 50).save(to: other)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(RelatedItemIndex.fileName).path
        #expect { _ = try RelatedItemIndex.load(from: path, for: try RelatedItemModel.load(from: other)) } throws: {
            "\($0)".contains("built for a model of 200 items, this model has 50")
        }
        // An index is only checked against a model read from files.
        #expect { _ = try RelatedItemIndex.load(from: path, for: model()) } throws: { ($0 as? RelatedError)?.code == .invalidRequest }
        #expect { _ = try RelatedItemIndex(model: model()) } throws: { ($0 as? RelatedError)?.code == .invalidRequest }
    }

    @Test func editedTruncatedOrForeignFilesAreRefused() throws {
        let (directory, model, _) = try savedModelWithIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(RelatedItemIndex.fileName).path
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        func refused(_ bytes: [UInt8], _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(sourceLocation: sourceLocation) { _ = try RelatedItemIndex.load(from: path, for: model) } throws: { error in
                (error as? RelatedError)?.code == .modelFile && "\(error)".contains(path) && "\(error)".contains(phrase)
            }
        }
        var edited = original
        edited[edited.count - 3] ^= 0x40  // one score bit
        try refused(edited, "payload checksum does not match")
        try refused(Array(original.dropLast(4)), "truncated or padded")
        try refused([], "not a Vane top-targets index")
        try refused(Array("# source\trank\ttarget\tscore\n".utf8), "not a Vane top-targets index")
        var version = original
        version[8] = 9
        try refused(version, "format version 9")
        // A well-formed file whose lists break the rules, checksum recomputed: a known neighbour listed.
        let source = model.graph.edges[0].source, known = model.graph.edges[0].target
        var lists = [[(index: Int32, score: Float)]](repeating: [], count: model.itemCount)
        lists[Int(source)] = [(index: known, score: 1)]
        try refused(RelatedItemIndex.encode(lists: lists, count: 20, modelFingerprint: model.fileFingerprint!), "known out-neighbour")
        let unknown = try #require((0..<Int32(model.itemCount)).first { $0 != source && !model.graph.hasEdge(from: source, to: $0) })
        lists[Int(source)] = [(index: unknown, score: .nan)]
        try refused(RelatedItemIndex.encode(lists: lists, count: 20, modelFingerprint: model.fileFingerprint!), "not finite")
        lists[Int(source)] = [(index: unknown, score: 1), (index: unknown, score: 1)]
        try refused(RelatedItemIndex.encode(lists: lists, count: 20, modelFingerprint: model.fileFingerprint!), "not in order")
        lists[Int(source)] = []
        try refused(RelatedItemIndex.encode(lists: lists, count: 20, modelFingerprint: ContentFingerprint(value: 1)), "model changed")
        // The untouched file still loads.
        try Data(original).write(to: URL(fileURLWithPath: path))
        #expect(try RelatedItemIndex.load(from: path, for: model).itemCount == model.itemCount)
    }

    @Test func shardsOfTheCatalogueAssembleTheSameIndex() throws {
        let (directory, model, built) = try savedModelWithIndex(count: 20)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Two uneven shards, as two ranks of a distributed build would compute them.
        let cut = 77
        let lists = model.topTargets(ofSourcesIn: 0..<cut, count: 20, batchSize: 16)
            + model.topTargets(ofSourcesIn: cut..<model.itemCount, count: 20, batchSize: 50)
        let assembled = try RelatedItemIndex(lists: lists, count: 20, for: model)
        #expect(assembled.storage.withBytes { Array($0) } == built.storage.withBytes { Array($0) })
        #expect(model.topTargets(ofSourcesIn: 5..<5, count: 3).isEmpty)
        // Lists that break the rules are refused before an index exists.
        var bad = lists
        bad[0] = [(index: 0, score: 1)]  // the item itself
        #expect { _ = try RelatedItemIndex(lists: bad, count: 20, for: model) } throws: { "\($0)".contains("the item itself") }
        #expect { _ = try RelatedItemIndex(lists: Array(lists.dropLast()), count: 20, for: model) } throws: {
            ($0 as? RelatedError)?.code == .invalidRequest
        }
        #expect { _ = try RelatedItemIndex(lists: lists, count: 20, for: self.model()) } throws: { ($0 as? RelatedError)?.code == .invalidRequest }
    }

    @Test func fingerprintsFrameTheirPartsAndAreStable() {
        let ab = ContentFingerprint(of: [Array("ab".utf8), Array("c".utf8)])
        let a = ContentFingerprint(of: [Array("a".utf8), Array("bc".utf8)])
        #expect(ab != a)
        #expect(ab == ContentFingerprint(of: [Array("ab".utf8), Array("c".utf8)]))
        #expect(ContentFingerprint(of: [[UInt8](repeating: 1, count: 17)]) != ContentFingerprint(of: [[UInt8](repeating: 1, count: 16)]))
        #expect(ab.description.count == 16)
    }
}
