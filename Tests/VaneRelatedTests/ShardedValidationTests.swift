import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

/// A one-rank `DataParallelContext` that keeps its rows in a permuted node order, so a test can
/// tell whether code reads rows by node id or by position. Sparse Adam on the whole table.
struct PermutedOneRankContext: DataParallelContext {
    let ownedNodes: [Int32]
    /// Position of each node's row in the local order.
    let position: [Int]
    var tables: [Matrix]
    var optimisers: [SparseAdam]

    init(nodeCount: Int, widths: [Int], seed: UInt64, learningRate: Float = 0.01) {
        var generator = SeededGenerator(seed: seed)
        var order = (0..<Int32(nodeCount)).map { $0 }
        order.seededShuffle(using: &generator)
        ownedNodes = order
        var position = [Int](repeating: 0, count: nodeCount)
        for (i, node) in order.enumerated() { position[Int(node)] = i }
        self.position = position
        tables = widths.map { Matrix.normal(rows: nodeCount, columns: $0, standardDeviation: 0.1, using: &generator) }
        optimisers = widths.map { SparseAdam(rows: nodeCount, columns: $0, configuration: AdamConfiguration(learningRate: learningRate)) }
    }

    var rank: Int { 0 }
    var ranks: Int { 1 }
    func owner(of node: Int32) -> Int { 0 }
    func rows(kind: Int, ids: [Int32]) throws -> Matrix { rows(of: tables[kind], ids: ids) }
    func ownedRows(kind: Int) -> Matrix { tables[kind] }
    mutating func apply(kind: Int, gradient: SparseRowGradient) throws {
        let local = SparseRowGradient(indices: gradient.rowIndices.map { Int32(position[Int($0)]) }, rowGradients: gradient.gradients)
        optimisers[kind].update(&tables[kind], gradient: local)
    }
    mutating func releaseTables() {
        tables = []
        optimisers = []
    }
    func sum(_ values: inout [Float]) throws {}
    func sum(_ values: inout [Double]) throws {}
    func planPull(ids: [Int32]) -> [Int32] { ids }
    func rows(of local: Matrix, plan: [Int32]) -> Matrix { rows(of: local, ids: plan) }
    func rows(of local: Matrix, ids: [Int32]) -> Matrix {
        RowGather.forward(local, indices: ids.map { Int32(position[Int($0)]) })
    }
    func gather(_ local: Matrix) throws -> Matrix? {
        RowGather.forward(local, indices: (0..<position.count).map { Int32(position[$0]) })
    }
}

@Suite("Sharded validation and inference")
struct ShardedValidationTests {
    /// Small integer embeddings: every dot product is exact, so ties are real ties in both paths.
    func integerMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float(generator.nextIndex(below: 3)) - 1 })
    }

    @Test func shardedRankingEqualsTheEvaluatorIncludingTies() throws {
        let (graph, split, training) = try splitRandomGraph(nodes: 120, seed: 3, splitSeed: 4, validationFraction: 0.2)
        var configuration = DirectedGNNConfiguration()
        configuration.validationQueries = 50
        let source = integerMatrix(rows: graph.nodeCount, columns: 4, seed: 5)
        let target = integerMatrix(rows: graph.nodeCount, columns: 4, seed: 6)
        let reference = DirectedGNNTrainer.ValidationRanking(graph: training, validation: split.validation, configuration: configuration, seed: 9)
        let expected = reference.evaluator.ranks(of: RelatedItemModel(method: "t", graph: training, sourceEmbeddings: source, targetEmbeddings: target),
                                                 queries: reference.queries)
        #expect(expected.contains { $0 != $0.rounded() }, "the fixture should have ties")
        var context = PermutedOneRankContext(nodeCount: graph.nodeCount, widths: [4], seed: 11)
        let local = { (m: Matrix) in RowGather.forward(m, indices: context.ownedNodes) }
        // A small score budget forces one source per batch.
        for budget in [1 << 24, 1] {
            let sharded = ShardedValidationRanking(graph: training, validation: split.validation, configuration: configuration, seed: 9,
                                                   ownedNodes: context.ownedNodes, scoreBudget: budget)
            #expect(sharded.queries == reference.queries)
            let ranks = try sharded.ranks(source: local(source), target: local(target), context: &context)
            #expect(ranks == expected)
        }
    }

    @Test func shardedInferenceDoesNotDependOnRowOrderOrPieces() throws {
        let graph = randomGraph(nodes: 90, seed: 7)
        var configuration = smallConfiguration(.hybrid)
        configuration.layers = 2
        var generator = SeededGenerator(seed: 1)
        let trainer = try DirectedGNNTrainer(configuration: configuration)
        let (sampler, _) = try trainer.makeSampler(for: graph)
        let model = DirectedGNN(configuration: configuration, nodeCount: graph.nodeCount, sampler: sampler, generator: &generator)
        func states(contextSeed: UInt64, pieces chunkRows: Int) throws -> [Matrix] {
            var context = PermutedOneRankContext(nodeCount: graph.nodeCount, widths: configuration.embeddingWidths, seed: contextSeed)
            let own = model.embeddings.map { RowGather.forward($0, indices: context.ownedNodes) }
            let local = try model.inferOwnStates(graph: graph, seed: 5, ownEmbeddings: own, context: &context, chunkRows: chunkRows)
            return try local.map { try #require(try context.gather($0)) }
        }
        let whole = try states(contextSeed: 1, pieces: 1 << 16)
        let other = try states(contextSeed: 2, pieces: 7)
        for (a, b) in zip(whole, other) { #expect(a.values == b.values) }
        #expect(whole.count == model.kinds.count && whole[0].rows == graph.nodeCount)
    }

    @Test func oneRankDataParallelFitLearnsAndIsDeterministic() throws {
        let graph = try catalogueGraph()
        var generator = SeededGenerator(seed: 2)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.15, testFraction: 0, using: &generator)
        let training = graph.withEdges(split.training)
        var configuration = smallConfiguration(.hybrid)
        configuration.maximumEpochs = 25
        configuration.patience = 25
        let trainer = try DirectedGNNTrainer(configuration: configuration)
        func run() throws -> (RelatedItemModel, DirectedGNNTrainer.Report) {
            var context = PermutedOneRankContext(nodeCount: graph.nodeCount, widths: configuration.embeddingWidths, seed: 3,
                                                 learningRate: configuration.learningRate)
            let (models, report) = try trainer.fitDataParallel(graph: training, validation: split.validation, seed: 4,
                                                               finalGraphs: [graph], method: "hybrid", context: &context)
            return (try #require(models?.first), report)
        }
        let (model, report) = try run()
        let (again, _) = try run()
        #expect(model.sourceEmbeddings.values == again.sourceEmbeddings.values)
        #expect(model.itemCount == graph.nodeCount && model.method == "hybrid")
        let first = report.epochs[0].validationMRR, best = report.epochs[report.bestEpoch - 1].validationMRR
        #expect(best > first, "validation MRR \(first) -> \(best)")
        // Phones point to cases, not the reverse: the trained model knows the direction.
        let phone = try #require(graph.id(of: "phone0")), phoneCase = try #require(graph.id(of: "case0"))
        let scores = model.scores(of: [.init(source: phone, target: phoneCase), .init(source: phoneCase, target: phone)])
        #expect(scores[0] > scores[1])
    }
}
