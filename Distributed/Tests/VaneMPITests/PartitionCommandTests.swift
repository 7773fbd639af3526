import Foundation
import Testing
import VaneGraph

/// `vane-mpi partition` as a user runs it: one process, a file that loads back, errors naming the flag.
@Suite("vane-mpi partition")
struct PartitionCommandTests {
    static var binaryBuilt: Bool { FileManager.default.isExecutableFile(atPath: MPIJob.binary) }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MPIJob.binary)
        process.arguments = arguments
        return try MPIJob.capture(process)
    }

    @Test(.enabled(if: binaryBuilt, "needs a built vane-mpi (swift build)"))
    func writesAPartitionAndComparesItWithTheHash() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-partition-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two rings of 20 joined by one edge.
        var lines: [String] = []
        for ring in ["a", "b"] { for i in 0..<20 { lines.append("\(ring)\(i)\t\(ring)\((i + 1) % 20)") } }
        lines.append("a0\tb0")
        let edges = directory.appendingPathComponent("edges.tsv").path, out = directory.appendingPathComponent("parts.tsv").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: edges))
        let job = try run(["partition", "--edges", edges, "--parts", "2", "--out", out])
        #expect(job.status == 0, "\(job.output)")
        #expect(job.output.contains("metis: cut 1 of 41 edges"), "\(job.output)")
        #expect(job.output.contains("hash (for comparison)"), "\(job.output)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("# vane-partition-v1 parts=2 method=metis nodes=40\n"))
        #expect(text.split(separator: "\n").count == 41)
        let json = try run(["partition", "--edges", edges, "--parts", "2", "--method", "hash", "--out", out, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "hash" && object["nodes"] as? Int == 40)
    }

    @Test(.enabled(if: binaryBuilt, "needs a built vane-mpi (swift build)"))
    func badRequestsNameTheFlag() throws {
        let tooMany = try run(["partition", "--edges", "/nonexistent.tsv", "--parts", "0", "--out", "/tmp/x.tsv"])
        #expect(tooMany.status != 0 && tooMany.output.contains("--parts must be at least 1"), "\(tooMany.output)")
        let missing = try run(["partition", "--edges", "/nonexistent.tsv", "--parts", "2", "--out", "/tmp/x.tsv"])
        #expect(missing.status != 0 && missing.output.contains("--edges") && missing.output.contains("/nonexistent.tsv"), "\(missing.output)")
        let method = try run(["partition", "--edges", "/nonexistent.tsv", "--parts", "2", "--method", "kmeans", "--out", "/tmp/x.tsv"])
        #expect(method.status != 0 && method.output.contains("--method"), "\(method.output)")
    }
}
