import Dispatch
import Foundation
import Synchronization
import Testing
import VaneGraph
import VaneIO
import VaneTensor
@testable import VanePartition

/// Partitions: METIS finds the obvious cut, both methods cover every node, the statistics are the
/// hand-counted ones, layouts are contiguous, and partition files round-trip or fail by line.
@Suite("Graph partition")
struct GraphPartitionTests {
    /// Two directed 6-cliques joined by one edge a5 -> b0: the best 2-way cut is that edge.
    func twoCliques() -> DirectedGraph {
        var edges: [DirectedGraph.Edge] = []
        for base in [0, 6] {
            for u in 0..<6 { for v in 0..<6 where u != v { edges.append(.init(source: Int32(base + u), target: Int32(base + v))) } }
        }
        edges.append(.init(source: 5, target: 6))
        return DirectedGraph(nodeNames: (0..<6).map { "a\($0)" } + (0..<6).map { "b\($0)" }, edges: edges)
    }

    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vane-partition-\(UUID().uuidString).tsv").path
    }

    @Test func metisCutsTheOneBridge() throws {
        let graph = twoCliques()
        let partition = try GraphPartition.metis(graph, parts: 2, seed: 3)
        let statistics = partition.statistics(on: graph)
        #expect(statistics.cutEdges == 1 && statistics.edges == 61)
        #expect(statistics.nodes == [6, 6])
        #expect(Set(partition.assignment[0..<6]).count == 1 && Set(partition.assignment[6..<12]).count == 1)
        // Each side sees the other's end of the bridge, and nothing else.
        #expect(statistics.halo == [1, 1])
        // Seeded: the same seed gives the same partition.
        #expect(try GraphPartition.metis(graph, parts: 2, seed: 3) == partition)
    }

    @Test func concurrentCallsGiveTheSerialPartition() throws {
        // METIS keeps its random state in process globals: calls on several threads at once drew from
        // one another's stream, so a seed no longer fixed the partition (`metisCutsTheOneBridge` failed
        // in CI when Swift Testing ran it beside another METIS test). Calls are serialised now.
        var generator = SeededGenerator(seed: 8)
        let n = 3_000
        let edges = (0..<(6 * n)).map { _ in DirectedGraph.Edge(source: Int32(generator.nextIndex(below: n)), target: Int32(generator.nextIndex(below: n))) }
        let graph = DirectedGraph(nodeNames: (0..<n).map { "n\($0)" }, edges: edges)
        let serial = try GraphPartition.metis(graph, parts: 8, seed: 5)
        let results = Mutex<[GraphPartition?]>(Array(repeating: nil, count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let partition = try? GraphPartition.metis(graph, parts: 8, seed: 5)
            results.withLock { $0[i] = partition }
        }
        for (i, partition) in results.withLock({ $0 }).enumerated() {
            let same = partition == serial
            #expect(same, "concurrent call \(i) gave another partition than the serial call with the same seed")
        }
    }

    @Test func statisticsAreTheHandCountedOnes() {
        // 0 -> 1, 1 -> 2, 2 -> 0, 3 -> 0; parts {0, 1} and {2, 3}.
        let graph = DirectedGraph(nodeNames: ["w", "x", "y", "z"], edges: [.init(source: 0, target: 1), .init(source: 1, target: 2),
                                                                           .init(source: 2, target: 0), .init(source: 3, target: 0)])
        let statistics = GraphPartition(parts: 2, method: .hash, assignment: [0, 0, 1, 1]).statistics(on: graph)
        #expect(statistics.cutEdges == 3)           // 1 -> 2, 2 -> 0, 3 -> 0
        #expect(statistics.outEdges == [2, 2])
        #expect(statistics.halo == [2, 2])          // part 0 sees y, z; part 1 sees w, x
        #expect(abs(statistics.cutShare - 0.75) < 1e-12 && statistics.nodeImbalance == 1)
    }

    @Test func metisBeatsTheHashOnAGraphWithCommunities() throws {
        // 8 communities of 50 nodes, 95% of edges inside their community.
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(bound)) }
        var edges: [DirectedGraph.Edge] = []
        for u in 0..<400 {
            for _ in 0..<6 {
                let v = next(20) == 0 ? next(400) : (u / 50) * 50 + next(50)
                if v != u { edges.append(.init(source: Int32(u), target: Int32(v))) }
            }
        }
        let graph = DirectedGraph(nodeNames: (0..<400).map { "n\($0)" }, edges: edges)
        let metis = try GraphPartition.metis(graph, parts: 8).statistics(on: graph)
        let hash = try GraphPartition.hash(graph, parts: 8).statistics(on: graph)
        #expect(metis.cutShare < 0.15 && hash.cutShare > 0.8, "METIS cut \(metis.cutShare), hash \(hash.cutShare)")
        #expect(metis.nodeImbalance <= 1.06 && metis.edgeImbalance <= 1.06, "\(metis.nodeImbalance), \(metis.edgeImbalance)")
        #expect(metis.nodes.reduce(0, +) == 400 && hash.nodes.reduce(0, +) == 400)
    }

    @Test func layoutMakesEachPartOneContiguousRange() throws {
        let graph = twoCliques()
        let partition = try GraphPartition.hash(graph, parts: 3, seed: 5)
        let (newID, oldID, offsets) = partition.layout
        #expect(offsets.first == 0 && offsets.last == 12 && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 })
        for old in 0..<12 {
            #expect(oldID[Int(newID[old])] == Int32(old))
            let part = Int(partition.assignment[old])
            #expect((offsets[part]..<offsets[part + 1]).contains(Int(newID[old])))
        }
    }

    @Test func hashDependsOnNamesNotIDs() throws {
        let graph = twoCliques()
        let reversed = DirectedGraph(nodeNames: graph.nodeNames.reversed(), edges: [])
        let a = try GraphPartition.hash(graph, parts: 4, seed: 9), b = try GraphPartition.hash(reversed, parts: 4, seed: 9)
        for (id, name) in graph.nodeNames.enumerated() { #expect(a.assignment[id] == b.assignment[Int(reversed.id(of: name)!)]) }
        #expect(try GraphPartition.hash(graph, parts: 4, seed: 10) != a)
    }

    @Test func requestsOutsideTheGraphAreRefused() throws {
        let graph = twoCliques()
        #expect { _ = try GraphPartition.metis(graph, parts: 13) } throws: { ($0 as? PartitionError)?.code == .invalidRequest }
        #expect { _ = try GraphPartition.metis(graph, parts: 0) } throws: { ($0 as? PartitionError)?.field == "parts" }
        #expect { _ = try GraphPartition.hash(graph, parts: 0) } throws: { ($0 as? PartitionError)?.code == .invalidRequest }
        #expect(try GraphPartition.metis(graph, parts: 1).assignment == [Int32](repeating: 0, count: 12))
    }

    @Test func filesRoundTripAndRefuseOtherGraphs() throws {
        let graph = twoCliques()
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let partition = try GraphPartition.metis(graph, parts: 2)
        try partition.write(to: path, graph: graph)
        #expect(try GraphPartition.load(from: path, graph: graph) == partition)
        let other = DirectedGraph(nodeNames: ["a0", "a1"], edges: [])
        #expect { _ = try GraphPartition.load(from: path, graph: other) } throws: {
            ($0 as? PartitionError)?.location?.line == 1 && "\($0)".contains("another graph")
        }
    }

    @Test(arguments: [
        ("# something else\n", 1, "not a partition file"),
        ("# vane-partition-v1 parts=2 method=metis nodes=12\na0\t0\na0\t1\n", 3, "listed twice"),
        ("# vane-partition-v1 parts=2 method=metis nodes=12\na0\t2\n", 2, "not in 0...1"),
        ("# vane-partition-v1 parts=2 method=metis nodes=12\nzz\t0\n", 2, "unknown node"),
        ("# vane-partition-v1 parts=2 method=metis nodes=12\na0 0\n", 2, "expected name<TAB>part"),
        ("# vane-partition-v1 parts=2 method=kmeans nodes=12\n", 1, "method="),
        ("# vane-partition-v1 parts=x method=metis nodes=12\n", 1, "parts="),
    ])
    func malformedFilesNameTheirLine(text: String, line: Int, phrase: String) throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect { _ = try GraphPartition.load(from: path, graph: twoCliques()) } throws: { error in
            guard let error = error as? PartitionError else { return false }
            return error.code == .invalidFile && error.location?.line == line && error.message.contains(phrase)
        }
    }

    @Test func aFileMissingNodesSaysWhichAndAMissingFileSaysSo() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("# vane-partition-v1 parts=2 method=hash nodes=12\na0\t0\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect { _ = try GraphPartition.load(from: path, graph: twoCliques()) } throws: { "\($0)".contains("11 node(s)") && "\($0)".contains("a1") }
        #expect { _ = try GraphPartition.load(from: path + ".absent", graph: twoCliques()) } throws: { "\($0)".contains("no such file") }
    }
}

