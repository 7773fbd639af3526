import Foundation
import Testing
import VaneGraph
import VaneMPI
import VaneRelated
import VaneTensor

/// Where the job's pieces are: the package's built `vane-mpi` and Open MPI's `mpirun`.
enum MPIJob {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/vane-mpi").path
    static let mpirun = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { mpirun != nil && FileManager.default.isExecutableFile(atPath: binary) }

    /// Runs `vane-mpi ARGUMENTS` on `ranks` ranks over shared memory on this machine, inside a
    /// network namespace with only loopback when `unshare` allows it; returns status and output.
    static func run(ranks: Int, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in ["OMPI_MCA_btl": "self,vader", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                             "OMPI_MCA_mpi_yield_when_idle": "1", "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                             "OMPI_MCA_rmaps_base_oversubscribe": "1"] { environment[key] = value }
        process.environment = environment
        let job = [mpirun!, "-np", String(ranks), binary] + arguments
        let isolated = FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            && (try? Process.run(URL(fileURLWithPath: "/usr/bin/unshare"), arguments: ["-n", "true"]))
                .map { $0.waitUntilExit(); return $0.terminationStatus == 0 } == true
        process.executableURL = URL(fileURLWithPath: isolated ? "/usr/bin/unshare" : job[0])
        process.arguments = isolated ? ["-n", "sh", "-c", "ip link set lo up 2>/dev/null; exec \"$@\"", "sh"] + job : Array(job.dropFirst())
        return try capture(process)
    }

    /// Runs a configured process to its end: exit status and everything it wrote to stdout and stderr.
    static func capture(_ process: Process) throws -> (status: Int32, output: String) {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

@Suite("Distributed index build")
struct DistributedIndexTests {
    @Test func shardsCoverEveryItemOnce() {
        for (count, ranks) in [(10, 3), (3, 5), (0, 2), (60_513, 8), (7, 1)] {
            let plan = ShardPlan(count: count, ranks: ranks)
            let ranges = (0..<ranks).map(plan.range(of:))
            #expect(ranges.map(\.count).reduce(0, +) == count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
            for item in stride(from: 0, to: count, by: max(1, count / 50)) { #expect(ranges[plan.owner(of: item)].contains(item)) }
        }
    }

    @Test(.enabled(if: MPIJob.available, "needs mpirun (Debian openmpi-bin) and a built vane-mpi (swift build)"))
    func twoRanksWriteTheSingleProcessIndex() throws {
        var generator = SeededGenerator(seed: 11)
        let n = 301
        let edges = (0..<n).flatMap { u in (0..<3).map { _ in DirectedGraph.Edge(source: Int32(u), target: Int32(generator.nextIndex(below: n))) } }
            .filter { $0.source != $0.target }
        let graph = DirectedGraph(nodeNames: (0..<n).map { "item\($0)" }, edges: edges)
        let model = RelatedItemModel(method: "test", graph: graph,
                                     sourceEmbeddings: .normal(rows: n, columns: 8, standardDeviation: 1, using: &generator),
                                     targetEmbeddings: .normal(rows: n, columns: 8, standardDeviation: 1, using: &generator))
        let single = FileManager.default.temporaryDirectory.appendingPathComponent("vane-mpi-single-\(UUID().uuidString)").path
        let shared = FileManager.default.temporaryDirectory.appendingPathComponent("vane-mpi-ranks-\(UUID().uuidString)").path
        defer { for path in [single, shared] { try? FileManager.default.removeItem(atPath: path) } }
        try model.save(to: single)
        try model.save(to: shared)
        try RelatedItemIndex.build(forModelIn: single, count: 25)
        let job = try MPIJob.run(ranks: 2, ["index", "--model", shared, "--index-count", "25"])
        #expect(job.status == 0, "\(job.output)")
        #expect(job.output.contains("on 2 ranks"), "\(job.output)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: single).appendingPathComponent(RelatedItemIndex.fileName))
        let written = try Data(contentsOf: URL(fileURLWithPath: shared).appendingPathComponent(RelatedItemIndex.fileName))
        #expect(written == expected)
        // The index loads against the model, as `vane serve` would.
        #expect(try RelatedItemIndex.loadIfPresent(modelDirectory: shared, for: try RelatedItemModel.load(from: shared))?.count == 25)
    }

    @Test(.enabled(if: MPIJob.available, "needs mpirun (Debian openmpi-bin) and a built vane-mpi (swift build)"))
    func aMissingModelStopsEveryRankWithItsReason() throws {
        let job = try MPIJob.run(ranks: 2, ["index", "--model", "/nonexistent/model"])
        #expect(job.status != 0)
        #expect(job.output.contains("/nonexistent/model"), "\(job.output)")
    }
}

@Suite("Sharded embedding exchange")
struct ShardedExchangeTests {
    @Test(.enabled(if: MPIJob.available, "needs mpirun (Debian openmpi-bin) and a built vane-mpi (swift build)"))
    func twoRanksEndWithTheSingleProcessTable() throws {
        var generator = SeededGenerator(seed: 21)
        let n = 400
        var lines: [String] = []
        for u in 0..<n { for _ in 0..<4 { lines.append("v\(u)\tv\((u / 40) * 40 + generator.nextIndex(below: 40))") } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-exchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let edges = directory.appendingPathComponent("edges.tsv").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: edges))
        var tables: [[Float]] = []
        for (ranks, method) in [(1, "metis"), (2, "metis"), (2, "hash")] {
            let out = directory.appendingPathComponent("table-\(ranks)-\(method).bin").path
            let job = try MPIJob.run(ranks: ranks, ["exchange", "--edges", edges, "--method", method, "--batch", "64", "--steps", "6",
                                                    "--dimension", "8", "--table-out", out])
            #expect(job.status == 0, "\(job.output)")
            // The hash partition cuts this graph of 10 disjoint communities; METIS need not.
            if method == "hash" { #expect(job.output.contains("MB sent") && !job.output.contains("(0.0% remote)"), "\(job.output)") }
            let data = try Data(contentsOf: URL(fileURLWithPath: out))
            tables.append(data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
        #expect(tables.allSatisfy { $0.count == 400 * 8 })
        // Same table whatever the ranks and partition (up to the order of float sums) ...
        for table in tables.dropFirst() { #expect(zip(table, tables[0]).map { abs($0 - $1) }.max()! < 1e-5) }
        // ... and the steps moved it away from its starting rows.
        let start = (0..<400).flatMap { ShardedEmbeddingTable.initialRow(id: $0, width: 8, seed: 1, standardDeviation: 0.1) }
        #expect(zip(tables[0], start).map { abs($0 - $1) }.max()! > 1e-3)
    }

    @Test(.enabled(if: MPIJob.available, "needs mpirun (Debian openmpi-bin) and a built vane-mpi (swift build)"))
    func aPartitionOfTheWrongSizeStopsEveryRank() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-exchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let edges = directory.appendingPathComponent("edges.tsv").path, parts = directory.appendingPathComponent("parts.tsv").path
        try Data((0..<30).map { "a\($0)\ta\(($0 + 1) % 30)" }.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: edges))
        try Data(("# vane-partition-v1 parts=3 method=hash nodes=30\n" + (0..<30).map { "a\($0)\t\($0 % 3)" }.joined(separator: "\n")).utf8)
            .write(to: URL(fileURLWithPath: parts))
        let job = try MPIJob.run(ranks: 2, ["exchange", "--edges", edges, "--partition", parts, "--steps", "1"])
        #expect(job.status != 0)
        #expect(job.output.contains("3 parts for 2 ranks"), "\(job.output)")
    }
}
