import Testing
import VaneGraph
import VaneTensor
@testable import VaneRelated

/// The 8-bit exact scan gives the float32 scan's answers, with and without the walk term, whatever
/// the exclusions, and hands a query to the float scan when its bound cannot narrow the candidates.
@Suite("Compact target scan")
struct CompactTargetScanTests {
    func model(nodes: Int, columns: Int, walks: Bool, hubScale: Float = 1, seed: UInt64) -> RelatedItemModel {
        let graph = randomGraph(nodes: nodes, seed: seed)
        var generator = SeededGenerator(seed: seed + 1)
        var targets = Matrix.normal(rows: nodes, columns: columns, standardDeviation: 1, using: &generator)
        // A few rows far larger than the rest: their coarse scales must not cost exactness.
        for v in stride(from: 0, to: nodes, by: 37) { for c in 0..<columns { targets.values[v * columns + c] *= hubScale } }
        return RelatedItemModel(method: "test", graph: graph,
                                sourceEmbeddings: .normal(rows: nodes, columns: columns, standardDeviation: 1, using: &generator),
                                targetEmbeddings: targets,
                                neighbourhood: walks ? P3Baseline.model(graph: graph, beta: 0.3).neighbourhood : nil)
    }

    func expectSameAnswers(_ model: RelatedItemModel, _ queries: [TopTargetsQuery], maximumCandidates: Int = 4096,
                           sourceLocation: SourceLocation = #_sourceLocation) -> CompactTargetScan.Statistics {
        let scan = CompactTargetScan(model: model, maximumCandidates: maximumCandidates)
        let (answers, statistics) = scan.topTargets(for: queries)
        let exact = model.topTargets(for: queries)
        for (i, (compact, float)) in zip(answers, exact).enumerated() {
            #expect(compact.map(\.index) == float.map(\.index), "query \(i)", sourceLocation: sourceLocation)
            for (a, b) in zip(compact, float) {
                #expect(abs(a.score - b.score) <= 1e-5 * max(1, abs(b.score)), "query \(i)", sourceLocation: sourceLocation)
            }
        }
        #expect(statistics.queries == queries.count, sourceLocation: sourceLocation)
        return statistics
    }

    @Test(arguments: [false, true])
    func answersEqualTheFloatScan(walks: Bool) {
        let model = model(nodes: 1_500, columns: 24, walks: walks, hubScale: 6, seed: 11)
        var generator = SeededGenerator(seed: 12)
        var queries: [TopTargetsQuery] = []
        for source in stride(from: 0, to: 1_500, by: 7) {
            var excluded = Set<Int32>()
            if source % 3 == 0 { for _ in 0..<5 { excluded.insert(Int32(generator.nextIndex(below: 1_500))) } }
            queries.append(TopTargetsQuery(source: Int32(source), count: [1, 10, 50][source % 3], excluded: excluded,
                                           excludingKnown: source % 5 != 0))
        }
        let statistics = expectSameAnswers(model, queries)
        #expect(statistics.fallbacks == 0)
        // The bound narrows 1,500 items to a few candidates per query.
        #expect(statistics.rescored < 300 * queries.count, "rescored \(statistics.rescored) for \(queries.count) queries")
    }

    @Test func singleQueriesAndOddWidthsAgreeToo() {
        let model = model(nodes: 203, columns: 7, walks: true, seed: 21)
        for source in 0..<203 where source % 10 == 0 {
            _ = expectSameAnswers(model, [TopTargetsQuery(source: Int32(source), count: 5)])
        }
    }

    @Test func queriesTheBoundCannotNarrowGoToTheFloatScan() {
        let model = model(nodes: 400, columns: 16, walks: true, seed: 31)
        let queries = (0..<20).map { TopTargetsQuery(source: Int32($0 * 13), count: 10) }
        let statistics = expectSameAnswers(model, queries, maximumCandidates: 10)
        #expect(statistics.fallbacks > 0 && statistics.fallbacks <= 20)
        // Fewer eligible items than k: every one is listed, by the float scan.
        let tiny = self.model(nodes: 6, columns: 4, walks: false, seed: 41)
        let all = expectSameAnswers(tiny, [TopTargetsQuery(source: 0, count: 10, excludingKnown: false)])
        #expect(all.fallbacks == 1)
    }
}

extension CompactTargetScanTests {
    @Test func embeddingsNearFloatRangeAreLeftToTheFloatScan() {
        let graph = randomGraph(nodes: 50, seed: 51)
        var generator = SeededGenerator(seed: 52)
        var sources = Matrix.normal(rows: 50, columns: 4, standardDeviation: 1, using: &generator)
        sources.values[0] = 1e18
        let model = RelatedItemModel(method: "test", graph: graph, sourceEmbeddings: sources,
                                     targetEmbeddings: Matrix.normal(rows: 50, columns: 4, standardDeviation: 1e15, using: &generator))
        let statistics = expectSameAnswers(model, (0..<5).map { TopTargetsQuery(source: Int32($0), count: 3) })
        #expect(statistics.fallbacks == 5)
    }
}
