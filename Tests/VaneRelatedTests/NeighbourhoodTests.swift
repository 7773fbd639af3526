import Foundation
import Testing
import VaneGraph
import VaneIO
import VaneTensor
@testable import VaneRelated

/// a -> b, a -> c, x -> b, x -> d, b -> e, d -> a.
private func walkGraph() throws -> DirectedGraph {
    try EdgeListLoader().load(TextFile(path: "walks.tsv", text: "a\tb\na\tc\nx\tb\nx\td\nb\te\nd\ta\n")).graph
}

@Suite("Walk features, P3 and the neighbourhood blend")
struct NeighbourhoodTests {
    @Test func walkProbabilitiesMatchHandComputation() throws {
        let graph = try walkGraph()
        func id(_ name: String) -> Int32 { graph.id(of: name)! }
        var accumulator = WalkFeatureAccumulator(graph: graph)
        // p3 from a: a -> b or c (1/2 each); b <- a or x (1/2 each), c <- a (1); then a -> b or c,
        // x -> b or d (1/2 each). P(a ~> d) = 1/2 (b) * 1/2 (x) * 1/2 = 1/8;
        // P(a ~> b) = 1/2*1/2*1/2 (b, a) + 1/2*1/2*1/2 (b, x) + 1/2*1*1/2 (c, a) = 1/2.
        #expect(accumulator.value(.p3, source: id("a"), target: id("d")) == 0.125)
        #expect(accumulator.value(.p3, source: id("a"), target: id("b")) == 0.5)
        #expect(accumulator.value(.p3, source: id("a"), target: id("e")) == 0)
        // forward path a -> b -> e: 1/2 * 1.
        #expect(accumulator.value(.forwardPath, source: id("a"), target: id("e")) == 0.5)
        // coupling a -> b <- x: 1/2 * 1/2.
        #expect(accumulator.value(.coupling, source: id("a"), target: id("x")) == 0.25)
        // siblings b <- x -> d: 1/2 (b has in-links a, x) * 1/2.
        #expect(accumulator.value(.siblings, source: id("b"), target: id("d")) == 0.25)
        // reverse edge: d -> a exists, so reverseEdge(a, d) = 1; backward path x -> d -> a into a: 1 * 1.
        #expect(accumulator.value(.reverseEdge, source: id("a"), target: id("d")) == 1)
        #expect(accumulator.value(.backwardPath, source: id("a"), target: id("x")) == 1)
        // The scratch is clean between calls: the same question twice gives the same answer.
        #expect(accumulator.value(.p3, source: id("a"), target: id("b")) == 0.5)
    }

    @Test func hubsAreStridedWithTheirMassKept() {
        // One hub with 1000 in-links; a cap of 10 walks 10 of them, each carrying 1/10.
        let edges = (0..<1000).map { DirectedGraph.Edge(source: Int32($0 + 1), target: 0) }
        let graph = DirectedGraph(nodeNames: (0...1000).map { "n\($0)" }, edges: edges)
        var accumulator = WalkFeatureAccumulator(graph: graph, neighbourCap: 10)
        var total: Float = 0, reached = 0
        accumulator.forEachValue(.backwardPath, source: 0) { _, _ in }
        accumulator.forEachValue(.siblings, source: 0) { _, _ in }
        accumulator.forEachValue(.reverseEdge, source: 0) { _, _ in reached += 1 }
        #expect(reached == 1000)
        accumulator.forEachValue(.coupling, source: 1) { _, value in total += value }
        #expect(abs(total - 1) < 1e-5)
    }

    @Test func p3RanksReachedItemsFirstAndTiesTheRest() throws {
        let graph = try walkGraph()
        let model = P3Baseline.model(graph: graph, beta: 0)
        let scores = model.scores(forSources: [graph.id(of: "a")!]).values
        let reached = scores[Int(graph.id(of: "d")!)], unreached = scores[Int(graph.id(of: "e")!)]
        #expect(reached > unreached)
        #expect(unreached == scores[Int(graph.id(of: "x")!)])
        // score(source:target:) agrees with the batched row.
        #expect(model.score(source: graph.id(of: "a")!, target: graph.id(of: "d")!) == reached)
    }

    @Test func blendedModelLearnsDirectionOnTheCatalogue() throws {
        let graph = try catalogueGraph()
        var generator = SeededGenerator(seed: 3)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.3, testFraction: 0, using: &generator)
        let training = graph.withEdges(split.training)
        let fitted = try RelatedTraining.fit(.walks, base: DirectedGNNConfiguration(), training: training, validation: split.validation,
                                             servingGraph: training, seed: 3)
        // Every phone -> case edge outscores its reverse.
        for edge in graph.edges where graph.nodeNames[Int(edge.target)].hasPrefix("case") {
            #expect(fitted.model.score(source: edge.source, target: edge.target) > fitted.model.score(source: edge.target, target: edge.source))
        }
    }

    @Test func walkProposalDrawsKeepThePartitionSumUnbiased() throws {
        // Logit z = 2 [p3 reaches the item]: items P3 reaches are drawn more often than others, so only
        // the -log(draws q) offsets make sum over draws of exp(z + offset) an unbiased estimate of the
        // pool's sum of exp(z) (uniform-sampling offsets would overcount the P3-reached items).
        let graph = randomGraph(nodes: 400, seed: 5)
        var fitter = NeighbourhoodBlendFitter()
        fitter.neighbourhoodCandidates = 25
        fitter.uniformCandidates = 0
        fitter.maximumQueries = 300
        let queries = Array(graph.edges.prefix(300))
        let design = fitter.design(base: nil, embeddingBlocks: [], graph: graph, known: graph, validation: queries, seed: 2)
        let p3Presence = 3 + 3 * WalkFeature.allCases.firstIndex(of: .p3)!, width = design.objectiveFeatures.columns
        var accumulator = WalkFeatureAccumulator(graph: graph, neighbourCap: fitter.neighbourCap)
        var ratios: [Double] = []
        for (q, query) in queries.enumerated() {
            var reachable = Set<Int32>(), reachedByP3 = Set<Int32>()
            for feature in WalkFeature.allCases {
                accumulator.forEachValue(feature, source: query.source) { item, _ in
                    reachable.insert(item)
                    if feature == .p3 { reachedByP3.insert(item) }
                }
            }
            let pool = reachable.filter { $0 != query.source && $0 != query.target && !graph.hasEdge(from: query.source, to: $0) }
            guard pool.count > fitter.neighbourhoodCandidates else { continue }
            let reached = Double(pool.filter { reachedByP3.contains($0) }.count)
            let truth = reached * exp(2) + (Double(pool.count) - reached)
            let rows = (design.queryStarts[q] + 1)..<design.queryStarts[q + 1]
            #expect(rows.count == fitter.neighbourhoodCandidates)
            let estimate = rows.reduce(0.0) { total, r in
                let indicator = Double(design.objectiveFeatures.values[r * width + p3Presence] * design.scale[p3Presence])
                return total + exp(2 * indicator.rounded() + Double(design.offsets[r]))
            }
            ratios.append(estimate / truth)
        }
        #expect(ratios.count >= 50)
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        #expect(abs(mean - 1) < 0.05, "mean estimate / pool sum \(mean) over \(ratios.count) queries")
    }

    @Test func embeddingStrataAreEachBlocksTopItemsWithoutRepeats() {
        // Two blocks of random embeddings: each query's stratum is block 0's top 5 items, then block
        // 1's top 5 among the rest, never the source, the query's target or a known target.
        let graph = randomGraph(nodes: 120, seed: 8)
        let base = randomEmbeddingModel(graph: graph, columns: 6, seed: 3)
        var fitter = NeighbourhoodBlendFitter()
        fitter.embeddingCandidates = 5
        let queries = Array(graph.edges.prefix(40)), blocks = [0..<2, 2..<6]
        let strata = fitter.embeddingStrata(base: base, blocks: blocks[...], queries: queries, known: graph)
        for (query, stratum) in zip(queries, strata) {
            var expected: [Int32] = []
            for block in blocks {
                let candidates = (0..<Int32(120)).filter { v in
                    v != query.source && v != query.target && !graph.hasEdge(from: query.source, to: v) && !expected.contains(v)
                }
                func score(_ v: Int32) -> Float {
                    block.reduce(0) { $0 + base.sourceEmbeddings[Int(query.source), $1] * base.targetEmbeddings[Int(v), $1] }
                }
                expected += candidates.sorted { score($0) > score($1) }.prefix(5)
            }
            #expect(stratum == expected)
        }
    }

    @Test func embeddingStratumKeepsTheCandidateCountUnbiased() {
        // Every candidate row stands for exp(offset) items: summed over a query's rows (the target's
        // excepted) that estimates how many items compete with the target. The stratum's rows stand for
        // themselves and are left out of the samples that follow, so the estimate stays the true count
        // (counting them twice would overshoot by 40 / 400 = 10%).
        let graph = randomGraph(nodes: 400, seed: 5)
        let base = randomEmbeddingModel(graph: graph, columns: 4, seed: 4)
        var fitter = NeighbourhoodBlendFitter()
        fitter.embeddingCandidates = 40
        fitter.neighbourhoodCandidates = 25
        fitter.uniformCandidates = 50
        fitter.maximumQueries = 300
        let queries = Array(graph.edges.prefix(300))
        let design = fitter.design(base: base, embeddingBlocks: [0..<4], graph: graph, known: graph, validation: queries, seed: 2)
        var ratios: [Double] = []
        for (q, query) in queries.enumerated() {
            let competing = (0..<Int32(400)).filter { $0 != query.source && $0 != query.target && !graph.hasEdge(from: query.source, to: $0) }
            let rows = (design.queryStarts[q] + 1)..<design.queryStarts[q + 1]
            ratios.append(rows.reduce(0.0) { $0 + exp(Double(design.offsets[$1])) } / Double(competing.count))
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        #expect(abs(mean - 1) < 0.03, "mean estimated / true count \(mean) over \(ratios.count) queries")
    }

    @Test func blendedModelSurvivesSaveAndLoad() throws {
        let graph = randomGraph(nodes: 80, seed: 5)
        var generator = SeededGenerator(seed: 5)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.1, testFraction: 0, using: &generator)
        let training = graph.withEdges(split.training)
        var base = smallConfiguration(.hybrid)
        base.maximumEpochs = 3
        let fitted = try RelatedTraining.fit(.vane, base: base, training: training, validation: split.validation, servingGraph: graph, seed: 5)
        #expect(fitted.model.neighbourhood != nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-blend-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try fitted.model.save(to: directory)
        let loaded = try RelatedItemModel.load(from: directory)
        #expect(loaded.neighbourhood == fitted.model.neighbourhood)
        #expect(loaded.scores(forSources: [0, 7]).values == fitted.model.scores(forSources: [0, 7]).values)
        let original = try fitted.model.recommend(for: "n3", count: 5).map(\.item)
        #expect(try loaded.recommend(for: "n3", count: 5).map(\.item) == original)
    }

    @Test func sharedPartsAreTrainedOnceAndGiveTheSameModel() throws {
        let graph = randomGraph(nodes: 120, seed: 8)
        var base = smallConfiguration(.hybrid)
        base.maximumEpochs = 3
        let search = BlendSearch(budget: 2)
        let alone = try RelatedExperiment(graph: graph, seed: 8).run(.vane, base: base, search: search)
        let experiment = try RelatedExperiment(graph: graph, seed: 8)
        let hybrid = try experiment.run(.hybrid, base: base, search: search)
        let lightgcn = try experiment.run(.lightgcn, base: base, search: search)
        #expect(experiment.cache.network(for: RelatedMethod.vane.configuration(base: base)!) != nil)
        #expect(experiment.cache.lightGCN != nil)
        let shared = try experiment.run(.vane, base: base, search: search)
        #expect(shared.evaluation.meanReciprocalRank == alone.evaluation.meanReciprocalRank)
        #expect(shared.evaluation.directionAUC == alone.evaluation.directionAUC)
        // The reused parts count in the default's training time.
        #expect(shared.trainSeconds >= 0.9 * (hybrid.trainSeconds + lightgcn.trainSeconds))
    }

    @Test func aGNNTrainedElsewhereBlendsIntoTheSameDefault() throws {
        // `RelatedTraining.blend` over the hybrid GNN's models (what `vane-mpi train` gathers) gives the
        // model `fit(.vane)` gives for the same split and seed, to the bit; a method without a GNN part
        // is refused.
        let (graph, split, training) = try splitRandomGraph(nodes: 150, seed: 9, validationFraction: 0.1)
        var base = smallConfiguration(.hybrid)
        base.maximumEpochs = 3
        let search = BlendSearch(budget: 2)
        let whole = try RelatedTraining.fit(.vane, base: base, training: training, validation: split.validation,
                                            servingGraph: graph, seed: 9, search: search)
        let gnn = try RelatedTraining.fit(.hybrid, base: base, training: training, validation: split.validation,
                                          servingGraph: training, seed: 9, search: search)
        let gnnServing = try RelatedTraining.fit(.hybrid, base: base, training: training, validation: split.validation,
                                                 servingGraph: graph, seed: 9, search: search)
        let configuration = RelatedMethod.vane.configuration(base: base)!
        let blended = try RelatedTraining.blend(.vane, gnn: (gnn.model, gnnServing.model), configuration: configuration,
                                                training: training, validation: split.validation, servingGraph: graph,
                                                seed: 9, search: search)
        #expect(blended.model.sourceEmbeddings.values == whole.model.sourceEmbeddings.values)
        #expect(blended.model.targetEmbeddings.values == whole.model.targetEmbeddings.values)
        #expect(blended.model.neighbourhood == whole.model.neighbourhood && blended.model.method == "vane")
        #expect(blended.details["direction_anchor_multiple"] == whole.details["direction_anchor_multiple"])
        #expect(throws: RelatedError.self) {
            _ = try RelatedTraining.blend(.walks, gnn: (gnn.model, gnnServing.model), configuration: configuration, training: training,
                                          validation: split.validation, servingGraph: graph, seed: 9)
        }
    }

    @Test func handEditedNeighbourhoodWeightsAreRefused() throws {
        let graph = try walkGraph()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-p3-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try P3Baseline.model(graph: graph, beta: 0.2).save(to: directory)
        let path = directory + "/model.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"presence\" : 1000", with: "\"presence\" : 1e30").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: RelatedError.self) { try RelatedItemModel.load(from: directory) }
        do { _ = try RelatedItemModel.load(from: directory) } catch { #expect(error.message.contains("neighbourhood") && error.message.contains("p3")) }
        // A walk cap that would let one request run for minutes is refused too.
        try text.replacingOccurrences(of: "\"neighbourCap\" : 256", with: "\"neighbourCap\" : 100000").write(toFile: path, atomically: true, encoding: .utf8)
        do { _ = try RelatedItemModel.load(from: directory); Issue.record("a huge neighbourCap must be refused") } catch {
            #expect(error.message.contains("neighbourCap"))
        }
    }

    @Test func springRankPutsSourcesAboveTargets() {
        // A chain a -> b -> c -> d: the potential falls along it, and the reversed chain reverses it.
        let graph = DirectedGraph(nodeNames: ["a", "b", "c", "d"], edges: [.init(source: 0, target: 1), .init(source: 1, target: 2), .init(source: 2, target: 3)])
        let phi = NodePotential.springRank(graph)
        #expect(phi[0] > phi[1] && phi[1] > phi[2] && phi[2] > phi[3])
        let reversed = NodePotential.springRank(DirectedGraph(nodeNames: graph.nodeNames, edges: graph.edges.map { .init(source: $0.target, target: $0.source) }))
        for i in 0..<4 { #expect(abs(reversed[i] + phi[i]) < 1e-4) }
        // The solution satisfies the normal equations (L + alpha I) phi = outdeg - indeg.
        let alpha: Float = 0.5
        let residual0 = (alpha + 1) * phi[0] - phi[1] - 1
        #expect(abs(residual0) < 1e-4)
    }

    @Test func symmetricInverseOfAHandMatrix() {
        var matrix = Matrix(rows: 2, columns: 2, values: [4, 2, 2, 3])   // inverse = [3, -2; -2, 4] / 8
        #expect(SymmetricInverse.invert(&matrix))
        for (value, expected) in zip(matrix.values, [0.375, -0.25, -0.25, 0.5] as [Float]) { #expect(abs(value - expected) < 1e-6) }
        var singular = Matrix(rows: 2, columns: 2, values: [1, 1, 1, 1])
        #expect(!SymmetricInverse.invert(&singular))
    }

    @Test func easeMatchesItsClosedForm() throws {
        // Sources x, y both link to a and b; x also to c. Gram A^T A: a,b co-occur twice, a,c and b,c once.
        let graph = DirectedGraph(nodeNames: ["x", "y", "a", "b", "c"], edges: [
            .init(source: 0, target: 2), .init(source: 0, target: 3), .init(source: 0, target: 4),
            .init(source: 1, target: 2), .init(source: 1, target: 3)])
        let lambda: Float = 1
        let model = try #require(EASEBaseline.model(graph: graph, lambda: lambda))
        // Closed form on the 3 x 3 block over (a, b, c) (x and y have no in-links: their rows are lambda I).
        var gram = Matrix(rows: 3, columns: 3, values: [2 + lambda, 2, 1, 2, 2 + lambda, 1, 1, 1, 1 + lambda])
        #expect(SymmetricInverse.invert(&gram))
        func b(_ w: Int, _ v: Int) -> Float { w == v ? 0 : -gram.values[w * 3 + v] / gram.values[v * 3 + v] }
        // y -> a, b: score(y -> c) = B[a, c] + B[b, c].
        #expect(abs(model.score(source: 1, target: 4) - (b(0, 2) + b(1, 2))) < 1e-5)
        #expect(abs(model.score(source: 1, target: 2) - b(1, 0)) < 1e-5)   // B[a, a] = 0
    }

    @Test func easeRefusesGraphsTooLargeForADenseMatrix() {
        let graph = DirectedGraph(nodeNames: (0...EASEBaseline.maximumItems).map { "n\($0)" }, edges: [.init(source: 0, target: 1)])
        #expect(!RelatedMethod.ease.runs(onNodes: graph.nodeCount))
        #expect(throws: RelatedError.self) { try EASEBaseline.fit(graph: graph, known: graph, validation: [], seed: 1) }
    }

    /// The quality floor of issue 14 on a real graph: the default beats P3, EASE and LightGCN by 5%
    /// MRR and knows direction. Fails if any of it regresses.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: coraPath), "needs ../shared/data/cora-ml.edges.tsv"))
    func defaultBeatsP3OnCoraML() throws {
        let (graph, _) = try EdgeListLoader().load(path: coraPath)
        let experiment = try RelatedExperiment(graph: graph, seed: 1)
        var base = DirectedGNNConfiguration()
        base.maximumEpochs = 5
        base.patience = 2
        let p3 = try experiment.run(.p3, base: base).evaluation
        let ease = try experiment.run(.ease, base: base).evaluation
        let lightgcn = try experiment.run(.lightgcn, base: base).evaluation
        let vane = try experiment.run(.vane, base: base).evaluation
        #expect(vane.meanReciprocalRank > lightgcn.meanReciprocalRank * 1.05, "vane \(vane.meanReciprocalRank) vs lightgcn \(lightgcn.meanReciprocalRank)")
        #expect(vane.meanReciprocalRank > p3.meanReciprocalRank * 1.05, "vane \(vane.meanReciprocalRank) vs p3 \(p3.meanReciprocalRank)")
        #expect(vane.meanReciprocalRank > ease.meanReciprocalRank * 1.05, "vane \(vane.meanReciprocalRank) vs ease \(ease.meanReciprocalRank)")
        #expect((vane.directionAUC ?? 0) >= 0.87, "direction AUC \(vane.directionAUC ?? 0)")
    }

    /// The check issue 14 runs on graphs nobody tuned to, on a `CatalogueGraphSimulator` graph written after
    /// the defaults were fixed (quick settings, one seed): the default reaches the best of popularity, P3,
    /// EASE and LightGCN on MRR and on direction AUC at the same time (measured: MRR .213 vs LightGCN's
    /// .172, direction AUC .80 vs popularity's .69).
    @Test func defaultLeadsOnASimulatedCatalogue() throws {
        var settings = CatalogueGraphSimulator.Configuration()
        settings.nodes = 1_200
        settings.edgesPerNode = 5
        settings.reciprocity = 0.3
        let graph = try CatalogueGraphSimulator(configuration: settings).generate(seed: 12).graph
        let experiment = try RelatedExperiment(graph: graph, seed: 1)
        var base = DirectedGNNConfiguration()
        base.maximumEpochs = 5
        base.patience = 2
        let baselines = try [RelatedMethod.popularity, .p3, .ease, .lightgcn].map { ($0, try experiment.run($0, base: base).evaluation) }
        let vane = try experiment.run(.vane, base: base).evaluation
        let bestMRR = baselines.max { $0.1.meanReciprocalRank < $1.1.meanReciprocalRank }!
        let bestDirection = baselines.max { ($0.1.directionAUC ?? 0) < ($1.1.directionAUC ?? 0) }!
        #expect(vane.meanReciprocalRank >= bestMRR.1.meanReciprocalRank, "vane \(vane.meanReciprocalRank) vs \(bestMRR.0) \(bestMRR.1.meanReciprocalRank)")
        #expect((vane.directionAUC ?? 0) >= (bestDirection.1.directionAUC ?? 0),
                "vane \(vane.directionAUC ?? 0) vs \(bestDirection.0) \(bestDirection.1.directionAUC ?? 0)")
    }
}

let coraPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/cora-ml.edges.tsv").path

@Suite("Batched pair scores")
struct PairScoreTests {
    @Test func batchedPairScoresEqualOneByOneScores() throws {
        let graph = randomGraph(nodes: 60, seed: 9)
        let model = P3Baseline.model(graph: graph, beta: 0.3)
        var pairs: [DirectedGraph.Edge] = []
        for i in 0..<200 {
            let source = Int32(i % 60), target = Int32((i * 7 + 3) % 60)
            pairs.append(DirectedGraph.Edge(source: source, target: target))
        }
        let batched = model.scores(of: pairs)
        // Expected, pair by pair, straight from the walk probabilities (the embeddings are zero).
        var accumulator = WalkFeatureAccumulator(graph: graph)
        let weight = try #require(model.neighbourhood?.weights[.p3])
        for (pair, score) in zip(pairs, batched) {
            let value = accumulator.value(.p3, source: pair.source, target: pair.target)
            let expected = value > 0 ? weight.contribution(value: value, inDegree: graph.inDegree(of: pair.target)) : 0
            #expect(score == expected)
            #expect(score == model.score(source: pair.source, target: pair.target))
        }
    }
}

@Suite("LightGCN")
struct LightGCNTests {
    @Test func propagationIsSymmetricAndNormalised() {
        let graph = randomGraph(nodes: 40, seed: 2)
        let propagation = LightGCNBaseline.Propagation(graph)
        var generator = SeededGenerator(seed: 4)
        let x = Matrix.normal(rows: 40, columns: 1, standardDeviation: 1, using: &generator)
        let y = Matrix.normal(rows: 40, columns: 1, standardDeviation: 1, using: &generator)
        // <x, P y> = <P x, y> for the symmetric D^-1/2 A D^-1/2, so the backward pass may reuse it.
        let left = zip(x.values, propagation.apply(y).values).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(propagation.apply(x).values, y.values).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(left - right) < 1e-4)
        // An edge u -> v and its reverse count once: neighbour lists are undirected and duplicate-free.
        let pair = DirectedGraph(nodeNames: ["a", "b"], edges: [.init(source: 0, target: 1), .init(source: 1, target: 0)])
        let both = LightGCNBaseline.Propagation(pair)
        #expect(both.neighbours == [1, 0] && both.inverseRootDegree == [1, 1])
    }

    @Test func trainingRanksHeldOutEdgesAboveChanceAndIsSeeded() throws {
        // Three communities of 12 nodes; each node links to half of its own community.
        var generator = SeededGenerator(seed: 8)
        var edges: [DirectedGraph.Edge] = []
        for u in 0..<36 {
            for v in 0..<36 where u != v && u / 12 == v / 12 && generator.nextIndex(below: 2) == 0 {
                edges.append(.init(source: Int32(u), target: Int32(v)))
            }
        }
        let graph = DirectedGraph(nodeNames: (0..<36).map { "n\($0)" }, edges: edges)
        let split = try EdgeSplit(graph: graph, validationFraction: 0.15, testFraction: 0.15, using: &generator)
        let training = graph.withEdges(split.training)
        var lightgcn = LightGCNBaseline()
        lightgcn.dimension = 8
        lightgcn.maximumSteps = 120
        let known = training.withEdges(split.training + split.validation)
        let first = try lightgcn.fit(graph: training, known: known, validation: split.validation, servingGraph: training, seed: 8)
        let again = try lightgcn.fit(graph: training, known: known, validation: split.validation, servingGraph: training, seed: 8)
        #expect(first.model.sourceEmbeddings == again.model.sourceEmbeddings)
        let evaluation = LinkPredictionEvaluator(knownEdges: graph, trainingGraph: training).evaluate(first.model, test: split.test)
        // 36 items: a random ranking has MRR about 0.12; the community puts the target among ~6 unknown peers.
        #expect(evaluation.meanReciprocalRank > 0.25, "MRR \(evaluation.meanReciprocalRank)")
        #expect(evaluation.directionAUC == nil || evaluation.directionAUC == 0.5)
    }
}
