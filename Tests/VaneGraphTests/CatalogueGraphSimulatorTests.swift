import Foundation
import Testing
import VaneGraph

@Suite("Catalogue graph simulator")
struct CatalogueGraphSimulatorTests {
    func simulate(_ change: (inout CatalogueGraphSimulator.Configuration) -> Void, seed: UInt64 = 1) throws -> CatalogueGraphSimulator.SimulatedGraph {
        var configuration = CatalogueGraphSimulator.Configuration()
        configuration.nodes = 4_000
        change(&configuration)
        return try CatalogueGraphSimulator(configuration: configuration).generate(seed: seed)
    }

    @Test func sameSeedSameGraphAndOtherSeedsDiffer() throws {
        let first = try simulate({ _ in }, seed: 3), again = try simulate({ _ in }, seed: 3), other = try simulate({ _ in }, seed: 4)
        #expect(first.graph.edges == again.graph.edges)
        #expect(first.categories == again.categories && first.communities == again.communities)
        #expect(first.graph.edges != other.graph.edges)
    }

    @Test(arguments: [(1.5, 0.0), (5.0, 0.3), (20.0, 0.6)])
    func sizeAndReciprocityComeOutAsAsked(edgesPerNode: Double, reciprocity: Double) throws {
        let simulated = try simulate { $0.edgesPerNode = edgesPerNode; $0.reciprocity = reciprocity }
        let graph = simulated.graph
        let expected = 4_000 * edgesPerNode
        // Fewer only where a reverse already existed (a few percent on the dense graph).
        #expect(Double(graph.edgeCount) <= expected * 1.001 && Double(graph.edgeCount) >= expected * 0.93, "edges \(graph.edgeCount) vs \(expected)")
        let measured = GraphStatistics(graph: graph).reciprocity
        #expect(abs(measured - reciprocity) < 0.05, "reciprocity \(measured) vs \(reciprocity)")
    }

    @Test func complementsPointOneWayAndCommunitiesHoldTheirEdges() throws {
        let simulated = try simulate { $0.reciprocity = 0; $0.noise = 0; $0.communityAffinity = 1 }
        var between = 0, sameCommunity = 0
        for edge in simulated.graph.edges {
            let s = Int(edge.source), t = Int(edge.target)
            if simulated.categories[s] != simulated.categories[t] {
                between += 1
                #expect(simulated.categories[s] < simulated.categories[t], "a complement edge points back: \(edge)")
                #expect(simulated.relation(of: edge) == "complement")
            }
            if simulated.communities[s] == simulated.communities[t] { sameCommunity += 1 }
        }
        // complementShare 0.5, with the last category (no complements) keeping all its edges at home.
        #expect(between > simulated.graph.edgeCount / 4 && between < simulated.graph.edgeCount * 3 / 4)
        // Every edge stays in its community unless the target category has no member of it.
        #expect(Double(sameCommunity) > 0.9 * Double(simulated.graph.edgeCount))
    }

    @Test func ageOrderMakesEdgesPointBackInTime() throws {
        func backwardShare(_ ageOrder: Double) throws -> Double {
            let graph = try simulate { $0.reciprocity = 0; $0.ageOrder = ageOrder }.graph
            return Double(graph.edges.filter { $0.target < $0.source }.count) / Double(graph.edgeCount)
        }
        let unordered = try backwardShare(0), ordered = try backwardShare(1)
        #expect(abs(unordered - 0.5) < 0.1)
        // Up to 8 redraws: an item early in a small group may find no older target and keep a younger one.
        #expect(ordered > 0.75 && ordered > unordered + 0.25)
    }

    @Test func badConfigurationsNameTheirField() {
        let cases: [(String, (inout CatalogueGraphSimulator.Configuration) -> Void)] = [
            ("nodes", { $0.nodes = 3 }),
            ("edgesPerNode", { $0.edgesPerNode = .nan }),
            ("edgesPerNode", { $0.nodes = 20; $0.edgesPerNode = 10 }),
            ("reciprocity", { $0.reciprocity = 1 }),
            ("categories", { $0.categories = 0 }),
            ("communities", { $0.communities = 0 }),
            ("noise", { $0.noise = -0.1 }),
            ("ageOrder", { $0.ageOrder = 2 }),
            ("degreeExponent", { $0.degreeExponent = 2 }),
        ]
        for (field, change) in cases {
            var configuration = CatalogueGraphSimulator.Configuration()
            change(&configuration)
            #expect(throws: GraphError.self) { try configuration.validate() }
            do { try configuration.validate() } catch { #expect(error.field == field && error.code == .invalidConfiguration) }
        }
    }

    @Test func filesReadBackAsTheSameGraphWithRelationsAndLabels() throws {
        let simulated = try simulate { $0.nodes = 300; $0.edgesPerNode = 3 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let edges = directory.appendingPathComponent("g.tsv").path, nodes = directory.appendingPathComponent("g.nodes.tsv").path
        try simulated.write(edgesTo: edges, nodesTo: nodes, comment: "test")
        let loaded = try EdgeListLoader(recordsEdgeRelations: true).load(path: edges).graph
        let named = { (graph: DirectedGraph) in Set(graph.edges.map { "\(graph.nodeNames[Int($0.source)]) \(graph.nodeNames[Int($0.target)])" }) }
        #expect(named(loaded) == named(simulated.graph))
        let lines = try String(contentsOfFile: edges, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "# source\ttarget\trelation  (test)")
        let relations = Set(lines.dropFirst().map { $0.split(separator: "\t")[2] })
        #expect(relations.isSubset(of: ["similar", "complement"]) && !relations.isEmpty)
        let table = try String(contentsOfFile: nodes, encoding: .utf8).split(separator: "\n")
        #expect(table.count == 1 + simulated.graph.nodeCount)
        #expect(table[1] == "n0\tc\(simulated.categories[0])\tg\(simulated.communities[0])")
    }
}
