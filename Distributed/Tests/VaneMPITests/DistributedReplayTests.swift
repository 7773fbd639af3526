import Foundation
import Testing
import VaneConversions

/// `vane-mpi replay`: one rank is the single-process replay exactly; two ranks (clicks sharded,
/// gradients summed) give its metrics within 0.001 AUC.
@Suite("Distributed replay")
struct DistributedReplayTests {
    static let log: String? = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-mpi-replay-\(getpid()).csv").path
        var configuration = ConversionSimulator.Configuration()
        configuration.clicks = 60_000
        configuration.days = 30
        return (try? ConversionSimulator(configuration: configuration).write(to: path, seed: 5)) != nil ? path : nil
    }()

    typealias Metrics = [String: (auc: Double, nll: Double)]

    /// Per seed, each method's AUC and NLL from `vane-mpi replay --json` (decoded by JSONDecoder,
    /// which reads back exactly the doubles JSONEncoder wrote).
    func results(_ output: String) throws -> [Metrics] {
        struct Report: Decodable {
            struct Method: Decodable { let auc: Double, nll: Double }
            let results: [[String: Method]]
        }
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        return try JSONDecoder().decode(Report.self, from: Data(line.utf8)).results.map { $0.mapValues { (auc: $0.auc, nll: $0.nll) } }
    }

    @Test(.enabled(if: MPIJob.available, "needs mpirun and a built vane-mpi"))
    func oneRankIsTheSingleProcessAndTwoRanksMatchIt() throws {
        let log = try #require(Self.log)
        defer { try? FileManager.default.removeItem(atPath: log) }
        let one = try MPIJob.run(ranks: 1, ["replay", "--log", log, "--seeds", "1,2,3", "--json"])
        #expect(one.status == 0, "\(one.output)")
        let two = try MPIJob.run(ranks: 2, ["replay", "--log", log, "--seeds", "1,2,3", "--json"])
        #expect(two.status == 0, "\(two.output)")
        let single = try StreamReplay().run(try ClickLog.load(path: log, format: .vane), methods: DelayedFeedbackMethod.allCases, seed: 1)
        let oneRank = try results(one.output), twoRanks = try results(two.output)
        try #require(oneRank.count == 3 && twoRanks.count == 3)
        for method in DelayedFeedbackMethod.allCases {
            let name = method.rawValue, truth = try #require(single.methods[method])
            // The same code path with every collective the identity: the same floats.
            #expect(oneRank[0][name]!.auc == truth.auc && oneRank[0][name]!.nll == truth.nll, "\(name): \(oneRank[0][name]!) vs \(truth.auc), \(truth.nll)")
            // Two ranks: other mini-batch compositions of the same samples, so another draw of the
            // same training: within 0.001 AUC on average over the seeds, 0.002 on each.
            let differences = (0..<3).map { twoRanks[$0][name]!.auc - oneRank[$0][name]!.auc }
            #expect(abs(differences.reduce(0, +) / 3) < 0.001, "\(name): \(differences)")
            #expect(differences.allSatisfy { abs($0) < 0.002 }, "\(name): \(differences)")
            let nll = (0..<3).map { twoRanks[$0][name]!.nll - oneRank[$0][name]!.nll }
            #expect(abs(nll.reduce(0, +) / 3) < 0.002, "\(name) NLL: \(nll)")
        }
    }

    @Test(.enabled(if: MPIJob.available, "needs mpirun and a built vane-mpi"))
    func aMissingLogStopsEveryRankWithItsFlag() throws {
        let job = try MPIJob.run(ranks: 2, ["replay", "--log", "/nonexistent/clicks.csv"])
        #expect(job.status != 0)
        #expect(job.output.contains("--log"), "\(job.output)")
    }
}
