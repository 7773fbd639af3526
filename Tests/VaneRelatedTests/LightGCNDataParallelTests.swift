import Testing
import VaneGraph
import VaneTensor
import VaneTestSupport
@testable import VaneRelated

/// A `DataParallelContext` of one rank of a `ThreadedJob`: node states split by `partition` (node
/// -> rank), each rank's rows in its nodes' id order; collectives gather every rank's part. Only
/// the node-state collectives are implemented (what `LightGCNBaseline.fitDataParallel` uses).
struct ThreadedDataParallelContext: DataParallelContext {
    let job: ThreadedJob
    let rank: Int
    let partition: [Int]
    /// Each node's row among its owner's rows.
    let position: [Int]
    let ownedNodes: [Int32]

    init(job: ThreadedJob, rank: Int, partition: [Int]) {
        self.job = job
        self.rank = rank
        self.partition = partition
        var position = [Int](repeating: 0, count: partition.count), counts = [Int](repeating: 0, count: job.ranks)
        for (node, owner) in partition.enumerated() { position[node] = counts[owner]; counts[owner] += 1 }
        self.position = position
        ownedNodes = partition.indices.filter { partition[$0] == rank }.map { Int32($0) }
    }

    var ranks: Int { job.ranks }
    func owner(of node: Int32) -> Int { partition[Int(node)] }
    func rows(kind: Int, ids: [Int32]) throws -> Matrix { preconditionFailure("no embedding tables in this test context") }
    func ownedRows(kind: Int) -> Matrix { preconditionFailure("no embedding tables in this test context") }
    mutating func apply(kind: Int, gradient: SparseRowGradient) throws { preconditionFailure("no embedding tables in this test context") }
    mutating func releaseTables() {}
    mutating func sum(_ values: inout [Float]) throws {
        let all = job.exchange(rank: rank, values)
        values = all.dropFirst().reduce(all[0]) { zip($0, $1).map(+) }
    }
    mutating func sum(_ values: inout [Double]) throws {
        let all = job.exchange(rank: rank, values)
        values = all.dropFirst().reduce(all[0]) { zip($0, $1).map(+) }
    }
    /// Nothing to plan on threads: a plan is its ids, pulled again each time.
    func planPull(ids: [Int32]) -> [Int32] { ids }
    mutating func rows(of local: Matrix, plan: [Int32]) throws -> Matrix { try rows(of: local, ids: plan) }
    mutating func rows(of local: Matrix, ids: [Int32]) throws -> Matrix {
        let all = job.exchange(rank: rank, local)
        var result = Matrix(rows: ids.count, columns: local.columns)
        for (row, id) in ids.enumerated() {
            let source = all[partition[Int(id)]], start = position[Int(id)] * local.columns
            for c in 0..<local.columns { result.values[row * local.columns + c] = source.values[start + c] }
        }
        return result
    }
    mutating func gather(_ local: Matrix) throws -> Matrix? {
        let all = try rows(of: local, ids: (0..<Int32(partition.count)).map { $0 })
        return rank == 0 ? all : nil
    }
}

@Suite("LightGCN over ranks")
struct LightGCNDataParallelTests {
    /// Small and quick, sampling edges (fewer per step than the graph has) so every rank must draw
    /// the same sample, with early stopping.
    static var lightgcn: LightGCNBaseline {
        var lightgcn = LightGCNBaseline()
        lightgcn.dimension = 16
        lightgcn.negatives = 8
        lightgcn.edgesPerStep = 64
        lightgcn.maximumSteps = 60
        lightgcn.evaluationInterval = 10
        lightgcn.validationQueries = 40
        return lightgcn
    }

    static func split() throws -> (training: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge]) {
        let graph = try catalogueGraph()
        var generator = SeededGenerator(seed: 8)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.15, testFraction: 0, using: &generator)
        let training = graph.withEdges(split.training)
        return (training, training.withEdges(split.training + split.validation), split.validation)
    }

    @Test func oneRankIsTheOneProcessFit() throws {
        let (training, known, validation) = try Self.split()
        let one = try Self.lightgcn.fit(graph: training, known: known, validation: validation, servingGraph: training, seed: 5)
        // Rows kept in a shuffled node order: the fit must read rows by node id.
        var context = PermutedOneRankContext(nodeCount: training.nodeCount, widths: [], seed: 3)
        let ranked = try #require(try Self.lightgcn.fitDataParallel(graph: training, validation: validation, seed: 5, context: &context))
        #expect(ranked.steps == one.steps)
        #expect(ranked.freeEmbeddings.values == one.freeEmbeddings.values)
        #expect(ranked.model.sourceEmbeddings.values == one.model.sourceEmbeddings.values)
    }

    /// Two and three ranks compute the one-process fit up to the order of float sums: the same
    /// best step, and embeddings within float noise.
    @Test(arguments: [2, 3])
    func ranksComputeTheOneProcessFit(ranks: Int) throws {
        let (training, known, validation) = try Self.split()
        let one = try Self.lightgcn.fit(graph: training, known: known, validation: validation, servingGraph: training, seed: 5)
        var generator = SeededGenerator(seed: 11)
        let partition = (0..<training.nodeCount).map { _ in generator.nextIndex(below: ranks) }
        let job = ThreadedJob(ranks: ranks)
        let results = job.run { rank in
            var context = ThreadedDataParallelContext(job: job, rank: rank, partition: partition)
            return Result { try Self.lightgcn.fitDataParallel(graph: training, validation: validation, seed: 5, context: &context) }
        }
        let first = try #require(try results[0].get())
        for rank in 1..<ranks { #expect(try results[rank].get() == nil) }
        #expect(first.steps == one.steps)
        let difference = zip(first.freeEmbeddings.values, one.freeEmbeddings.values).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-4, "largest difference \(difference)")
        let scores = first.model.scores(of: validation), reference = one.model.scores(of: validation)
        #expect(zip(scores, reference).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func aLearningRateThatDivergesStopsEveryRank() throws {
        let (training, _, validation) = try Self.split()
        var diverging = Self.lightgcn
        diverging.learningRate = 1e30
        let lightgcn = diverging
        let job = ThreadedJob(ranks: 2)
        let partition = (0..<training.nodeCount).map { $0 % 2 }
        let results = job.run { rank in
            var context = ThreadedDataParallelContext(job: job, rank: rank, partition: partition)
            return Result { try lightgcn.fitDataParallel(graph: training, validation: validation, seed: 5, context: &context) }
        }
        for result in results {
            #expect { try result.get() } throws: { ($0 as? RelatedError)?.code == .diverged }
        }
    }
}
