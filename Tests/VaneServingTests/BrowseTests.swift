import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VaneGraph
import VaneIO
import VaneRelated
import VaneTensor
@testable import VaneServing

/// The routes behind the browser page: search, lookups, recommenders, the model description, the page.
@Suite("Browse routes")
struct BrowseTests {
    /// Items a..e of the serving fixture, titled; a's index list [d, e], b's [d, e], ...
    func store(index: Bool = true, policy: Bool = true) throws -> (ModelStore, String) {
        let directory = ServingFixtures.temporaryDirectory()
        try ServingFixtures.relatedModel().save(to: directory + "/related")
        if index { try RelatedItemIndex.build(forModelIn: directory + "/related", count: 3) }
        let nodes = "# id\ttitle\tgroup\na\tAcoustic guitar\tInstruments\nb\tGuitar strings, steel\tParts\nc\tCapo\tParts\nd\tDrum sticks\tParts\ne\tElectric guitar\tInstruments\n"
        try Data(nodes.utf8).write(to: URL(fileURLWithPath: directory + "/nodes.tsv"))
        let models = try ServingModels.load(ModelPaths(related: directory + "/related", nodes: directory + "/nodes.tsv"), version: 1)
        let withPolicy = ServingModels(related: models.related, relatedIndex: models.relatedIndex,
                                       attributes: try NodeAttributeTable(path: directory + "/nodes.tsv"),
                                       conversion: policy ? try ServingFixtures.conversionModel() : nil,
                                       policy: policy ? try ServingFixtures.policy() : nil, version: 1)
        return (ModelStore(models: withPolicy), directory)
    }

    func body(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func names(_ response: TestResponse) throws -> [String] {
        try (body(response)["results"] as? [[String: Any]] ?? []).map { try #require($0["item"] as? String) }
    }

    @Test func searchRanksExactThenPrefixThenWordThenSubstring() throws {
        let graph = DirectedGraph(nodeNames: ["guitar", "guitar-amp", "bass", "xguitarx", "amp"],
                                  edges: [.init(source: 2, target: 4), .init(source: 0, target: 4), .init(source: 1, target: 4), .init(source: 3, target: 2)])
        let model = RelatedItemModel(method: "t", graph: graph, sourceEmbeddings: Matrix(rows: 5, columns: 1), targetEmbeddings: Matrix(rows: 5, columns: 1))
        let titles = try NodeAttributeTable(TextFile(path: "n.tsv", text: "# id\ttitle\nbass\tBass Guitar\namp\tAmplifier for GUITAR\n"))
        let catalogue = ServingCatalogue(model: model, index: nil, attributes: titles)
        let hits = catalogue.search("Guitar", limit: 10)
        #expect(hits.map(\.entry.name) == ["guitar", "guitar-amp", "amp", "bass", "xguitarx"])
        #expect(hits.map(\.match) == [.exactName, .namePrefix, .titleWord, .titleWord, .substring])
        // Within a kind, the most linked-to first: amp (in-degree 3) before bass (1).
        #expect(catalogue.search("guitar", limit: 2).map(\.entry.name) == ["guitar", "guitar-amp"])
        #expect(catalogue.search("zzz", limit: 5).isEmpty)
        #expect(catalogue.search("AMP", limit: 5).first?.entry.name == "amp")
        #expect(catalogue.entry(4).inDegree == 3 && catalogue.entry(4).title == "Amplifier for GUITAR")
    }

    @Test func recommendersAreTheReverseOfTheStoredLists() throws {
        var generator = SeededGenerator(seed: 3)
        let graph = DirectedGraph(nodeNames: (0..<40).map { "n\($0)" }, edges: (0..<39).map { .init(source: Int32($0), target: Int32($0 + 1)) })
        let model = RelatedItemModel(method: "t", graph: graph, sourceEmbeddings: .normal(rows: 40, columns: 4, standardDeviation: 1, using: &generator),
                                     targetEmbeddings: .normal(rows: 40, columns: 4, standardDeviation: 1, using: &generator))
        let index = try RelatedItemIndex(model: model, count: 8, modelFingerprint: ContentFingerprint(value: 1))
        let lists = index.recommenders(depth: 5)
        for target in 0..<Int32(40) {
            // Brute force: every source whose first 5 stored targets hold `target`, with that rank.
            var expected: [(source: Int32, rank: Int, score: Float)] = []
            for source in 0..<Int32(40) {
                for (position, entry) in index.storedTargets(of: source).prefix(5).enumerated() where entry.index == target {
                    expected.append((source, position + 1, entry.score))
                }
            }
            expected.sort { ($0.rank, -$0.score, $0.source) < ($1.rank, -$1.score, $1.source) }
            let found = lists.recommenders(of: target, count: 100)
            #expect(found.map(\.source) == expected.map(\.source) && found.map(\.rank) == expected.map(\.rank), "target \(target)")
            #expect(lists.recommenderCount(of: target) == expected.count)
            #expect(lists.recommenders(of: target, count: 2).count == min(2, expected.count))
        }
        #expect(lists.recommenders(of: 99, count: 3).isEmpty && lists.recommenders(of: -1, count: 3).isEmpty)
        #expect(index.recommenders(depth: 50).depth == 8)
    }

    @Test func itemRoutesSearchLookUpAndRefuseBadQueries() async throws {
        let (store, directory) = try store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await ServingFixtures.application(store: store).test(.router) { client in
            let search = try await client.execute(uri: "/v1/items?q=guitar", method: .get)
            #expect(search.status == .ok)
            // a and e have a title word "guitar", b too (most linked-to first: b has in-degree 1).
            #expect(try names(search) == ["b", "a", "e"])
            let first = try #require((try body(search)["results"] as? [[String: Any]])?.first)
            #expect(first["title"] as? String == "Guitar strings, steel" && first["in_degree"] as? Int == 1 && first["match"] as? String == "word-prefix")
            #expect(first["attributes"] as? [String: String] == ["group": "Parts"])
            #expect(try names(try await client.execute(uri: "/v1/items?q=guitar&limit=1", method: .get)) == ["b"])
            #expect(try names(try await client.execute(uri: "/v1/items?names=c,nope,a", method: .get)) == ["c", "a"])
            for uri in ["/v1/items", "/v1/items?q=", "/v1/items?q=a&limit=0", "/v1/items?q=a&limit=51", "/v1/items?q=a&names=b",
                        "/v1/items?q=" + String(repeating: "x", count: 101)] {
                #expect(try await client.execute(uri: uri, method: .get).status == .badRequest, "\(uri)")
            }
        }
    }

    @Test func recommendedByAndTheModelDescription() async throws {
        let (store, directory) = try store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await ServingFixtures.application(store: store).test(.router) { client in
            // d is every other item's best target (score 2 x s); b's list starts with d too.
            let response = try await client.execute(uri: "/v1/recommended-by/d?k=10", method: .get)
            #expect(response.status == .ok)
            #expect(try names(response) == ["a", "b", "c", "e"])
            #expect(try body(response)["total"] as? Int == 4 && body(response)["depth"] as? Int == 3)
            #expect(try await client.execute(uri: "/v1/recommended-by/zzz", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/recommended-by/d?k=0", method: .get).status == .badRequest)
            let models = try body(try await client.execute(uri: "/v1/models", method: .get))
            let related = try #require(models["related"] as? [String: Any])
            #expect(related["index_count"] as? Int == 3 && related["titles"] as? Bool == true && related["items"] as? Int == 5)
            let conversion = try #require(models["conversion"] as? [String: Any])
            #expect(conversion["features"] as? [String] == ["price", "device", "item"])
            let policy = try #require(models["policy"] as? [String: Any])
            #expect(policy["kind"] as? String == "mist" && (policy["score_thresholds"] as? [Any])?.count == (policy["uncertainty_cuts"] as? [Any]).map { $0.count + 1 })
            // Each decision names its uncertainty bin.
            let decide = try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: #"{"rows":[{"features":{"price":20}}]}"#))
            let result = try #require((try body(decide)["results"] as? [[String: Any]])?.first)
            #expect(result["uncertainty_bin"] is Int)
        }
        let (bare, other) = try self.store(index: false, policy: false)
        defer { try? FileManager.default.removeItem(atPath: other) }
        try await ServingFixtures.application(store: bare).test(.router) { client in
            let response = try await client.execute(uri: "/v1/recommended-by/d", method: .get)
            #expect(response.status == .serviceUnavailable && String(buffer: response.body).contains("vane graph index"))
            #expect(try body(try await client.execute(uri: "/v1/models", method: .get))["policy"] == nil)
        }
    }

    @Test func thePageIsSelfContained() async throws {
        let (store, directory) = try store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await ServingFixtures.application(store: store).test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let html = String(buffer: response.body)
            // No external assets: the only URL is the SVG namespace, never fetched.
            let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
            #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(urls)")
            for route in ["/v1/models", "/v1/items", "/v1/related/", "/v1/recommended-by/", "/v1/decide"] { #expect(html.contains(route)) }
            #expect(!html.contains("innerHTML"))
        }
    }

    @Test func nodesNeedARelatedModel() {
        #expect { _ = try ServingModels.load(ModelPaths(conversions: "/c", nodes: "/n.tsv"), version: 1) } throws: {
            ($0 as? ServingError)?.message.contains("--related") == true
        }
    }
}
