import Foundation
import Testing
import VaneGraph
import VaneIO

/// Path of a file in `../shared/data`, or nil (tests that need it are then skipped).
func sharedDataPath(_ name: String) -> String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("shared/data/\(name)").path
    return FileManager.default.fileExists(atPath: path) ? path : nil
}

@Suite("Edge lists and DirectedGraph")
struct GraphLoadingTests {
    let loader = EdgeListLoader()

    @Test func csrAndCscAgree() throws {
        let text = "# comment\na\tb\na\tc\nb\tc\nc\ta\na\tb\nd\td\n\n"
        let (graph, report) = try loader.load(TextFile(path: "g.tsv", text: text))
        #expect(graph.nodeCount == 4)
        #expect(graph.edgeCount == 4)
        #expect(report.duplicatesDropped == 1 && report.selfLoopsDropped == 1 && report.dataLines == 6)
        let a = try #require(graph.id(of: "a")), b = try #require(graph.id(of: "b")), c = try #require(graph.id(of: "c"))
        #expect(Array(graph.outNeighbours(of: a)) == [b, c])
        #expect(Array(graph.inNeighbours(of: c)) == [a, b])
        #expect(graph.hasEdge(from: c, to: a) && !graph.hasEdge(from: b, to: a))
        // a -> b has no reverse; a -> c has (c -> a).
        #expect(graph.isOneWay(.init(source: a, target: b)) && !graph.isOneWay(.init(source: a, target: c)))
        #expect(graph.id(of: "zzz") == nil)
        // Every CSR edge appears in CSC and vice versa.
        var reversed = Set<DirectedGraph.Edge>()
        for v in 0..<graph.nodeCount {
            for u in graph.inNeighbours(of: Int32(v)) { reversed.insert(.init(source: u, target: Int32(v))) }
        }
        #expect(reversed == Set(graph.edges))
    }

    @Test func relationColumnAndCSV() throws {
        let (graph, report) = try loader.load(TextFile(path: "g.csv", text: "x,y,depends\ny,z,suggests\nx,z,depends\n"))
        #expect(graph.edgeCount == 3)
        #expect(report.relationCounts == ["depends": 2, "suggests": 1])
    }

    @Test func malformedLineNamesFileAndLine() {
        #expect {
            _ = try loader.load(TextFile(path: "bad.tsv", text: "a\tb\n# ok\nlonely\n"))
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.code == .malformedLine && error.line == 3 && error.description.hasPrefix("bad.tsv:3:")
        }
    }

    @Test func emptyGraphIsAnError() {
        #expect {
            _ = try loader.load(TextFile(path: "empty.tsv", text: "# nothing\n\nz\tz\n"))
        } throws: { error in
            (error as? GraphError)?.code == .emptyGraph
        }
    }

    @Test func statisticsOnAHandGraph() throws {
        // a<->b reciprocal, b->c, c->d: reciprocity 2/4.
        let (graph, _) = try loader.load(TextFile(path: "g.tsv", text: "a\tb\nb\ta\nb\tc\nc\td\n"))
        let statistics = GraphStatistics(graph: graph)
        #expect(statistics.reciprocity == 0.5)
        #expect(statistics.outDegree.maximum == 2 && statistics.inDegree.minimum == 1)
        #expect(statistics.sinkCount == 1)  // d
        #expect(statistics.totalDegreeFit == nil)  // too small to fit
    }

    @Test func powerLawFitRecoversExponent() throws {
        // Sample a discrete power law with alpha = 2.5 by inverse transform (continuous approximation).
        var state: UInt64 = 12345
        var degrees: [Int] = []
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            degrees.append(Int((0.5 * pow(1 - u, -1 / 1.5) + 0.5).rounded(.down)))
        }
        let fit = try #require(PowerLawFit(degrees: degrees))
        #expect(abs(fit.exponent - 2.5) < 0.15)
    }

    @Test(.enabled(if: sharedDataPath("debian-packages.edges.tsv.gz") != nil, "needs ../shared/data/debian-packages.edges.tsv.gz"))
    func loadsTheDebianGraph() throws {
        let path = try #require(sharedDataPath("debian-packages.edges.tsv.gz"))
        let (graph, report) = try loader.load(path: path)
        #expect(graph.nodeCount == 60_513)
        #expect(graph.edgeCount == 294_701)
        #expect(report.relationCounts["depends"] == 244_090)
        let libc = try #require(graph.id(of: "libc6"))
        #expect(graph.inDegree(of: libc) > 10_000)
    }
}

@Suite("Edge list hardening")
struct EdgeListHardeningTests {
    @Test func byteOrderMarkDoesNotTurnTheCommentIntoAnEdge() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("# source\ttarget\na\tb\n".utf8)
        let (graph, report) = try EdgeListLoader().load(TextFile(path: "bom.tsv", bytes: bytes))
        #expect(report.dataLines == 1 && graph.edgeCount == 1 && graph.nodeNames == ["a", "b"])
    }

    @Test func invalidUTF8NamesAreRefusedNotMerged() {
        // "a\xff" and "a\xfe" would both decode to "a\u{FFFD}" and become one node.
        let bytes = Array("a".utf8) + [0xFF] + Array("\tb\na".utf8) + [0xFE] + Array("\tc\n".utf8)
        #expect { _ = try EdgeListLoader().load(TextFile(path: "names.tsv", bytes: bytes)) }
            throws: { ($0 as? InputError)?.code == .invalidText && ($0 as? InputError)?.line == 1 }
    }
}
