import Foundation
import VaneGraph
import VaneTensor

/// Fits the weights that join an embedding model with the graph's walk features (`WalkFeature`) and
/// the target's degrees into one score, on validation edges the embeddings were not trained on.
///
/// Score of a pair, linear in the weights theta:
///   score(u -> v) = sum_b theta_b (s_u . t_v over embedding block b)
///                 + theta_in log(1 + indeg v) + theta_out log(1 + outdeg v) + theta_phi phi_v
///                 + sum_k [x_k > 0] (presence_k + logWeight_k log x_k + inDegreeWeight_k log(1 + indeg v))
///                 + theta_sin log(1 + indeg u) + theta_sout log(1 + outdeg u) + theta_sphi phi_u
/// The last two are constant for a source, so they never change its recommendations; they set how
/// a source's scores compare with another's, which is what direction (u -> v against v -> u) reads.
/// phi is the SpringRank potential of the training graph (`NodePotential`; alpha `potentialRegularisation`).
/// Objective (convex): for each validation edge u -> v, softmax cross-entropy of v against sampled
/// candidates (logQ-corrected: the items each embedding block scores highest (`embeddingCandidates`),
/// then every other walk-reachable item, or a sample of them drawn mostly in proportion to their walk
/// values (`walkProposalShare`), plus a uniform sample of the rest, each logit plus the log of how many
/// items it stands for), plus `directionWeight` times
/// the logistic loss of score(u -> v) - score(v -> u) on one-way edges, plus an L2 penalty; minimised
/// by damped Newton steps on standardised features (`BlendObjective`). Deterministic for a seed.
///
/// Cost: per query one walk per feature from u (and from v for the direction pair), then
/// Newton steps x rows x features^2 for the optimiser (rows = queries x candidates).
public struct NeighbourhoodBlendFitter: Sendable {
    /// Validation edges used (a seeded sample when there are more). The weights (~30 of them) are
    /// fitted on these queries' softmax; fewer queries leave them noisier. Measured (`vane graph
    /// evaluate --seed 1 --methods walks,vane`), 2000 against 600: Digital Music test MRR walks .1928 /
    /// .1895, vane .1875 / .1857; Debian walks .3836 / .3830, vane .3818 / .3805; the blend and its
    /// search take about 2.2x as long (Debian: vane train 201 s / 178 s). Graphs with fewer
    /// validation edges (Cora-ML, CiteSeer) use them all either way.
    public var maximumQueries = 2000
    /// Walk-reachable candidates kept per query (a uniform sample with weights when there are more).
    public var neighbourhoodCandidates = 400
    /// Uniform candidates from the items no walk reaches.
    public var uniformCandidates = 100
    /// Weight of the direction loss relative to the ranking loss.
    public var directionWeight: Float = 1
    public var l2: Float = 1e-3
    /// Newton steps at most (the objective is convex; ~10-30 reach the minimum).
    public var maximumNewtonSteps = 50
    public var neighbourCap = 256
    /// How the reachable candidates are drawn when there are more than `neighbourhoodCandidates`:
    /// with replacement from q_i = share * (mean over features of x_k(i) / sum_j x_k(j)) + (1 - share) / P
    /// (P reachable items), so the items a walk ranks high, the ones that compete with the true target
    /// for the top ranks, are drawn more often than uniform sampling would (importance sampling of the
    /// softmax's partition sum; Bengio & Senecal 2008). Each draw's logit gets the offset -log(draws q_i),
    /// so the sampled partition sum stays unbiased for the pool's. 0 draws uniformly without replacement.
    /// Measured (Digital Music graph, seed 1, `walks`): validation-fitted weights with 0.5 reach test MRR
    /// .1895 against .1788 with uniform draws.
    public var walkProposalShare: Float = 0.5
    /// Items per embedding block taken into every query's candidates in full: the ones that block
    /// scores highest for the source. Without them, items a walk never reaches but the embeddings
    /// rank high, the embeddings' false positives, enter only through the uniform sample (about 1 in
    /// 600 of them on a 64k-item graph), so the fit barely sees what they cost at the top.
    /// The candidates are then a stratified sample: this stratum taken whole (each stands for itself),
    /// the rest drawn as above from what it leaves, so the sampled partition sum stays unbiased.
    /// Measured (`vane graph evaluate --seed 1 --methods vane`; Cora-ML and CiteSeer 3 seeds): test MRR
    /// against a build with 0 (no stratum; no flag sets it) Debian .3805 vs .3787, Digital Music .1857 vs .1854, Amazon co-purchase
    /// .5378 vs .5367, Cora-ML .3512 vs .3511, CiteSeer .3078 vs .3073 (the exact unreachable count below
    /// came after the three seed-1 runs; it moved Cora-ML and CiteSeer by under 0.0002). 0 turns it off.
    public var embeddingCandidates = 50
    /// SpringRank's alpha for phi (`NodePotential.springRank`); `RelatedTraining` sets the one
    /// `NodePotential.chooseRegularisation` picks on the validation edges. The fitted blend carries it.
    public var potentialRegularisation = NodePotential.defaultRegularisation

    public init() {}

    /// What the fit found, for reports.
    public struct Report: Sendable {
        public var queries = 0
        public var directionPairs = 0
        public var rows = 0
        public var finalLoss = 0.0
        public var newtonSteps = 0
    }

    /// The weights joining `base` (embeddings over `graph`, the training graph) with walk features, fitted on
    /// `validation`; `known` holds every edge known at fitting time (training plus validation).
    /// `embeddingBlocks` splits the embedding columns into parts weighted separately (e.g. the
    /// symmetric and dual halves of the hybrid structure); nil for a model without embeddings.
    public func fit(base: RelatedItemModel?, embeddingBlocks: [Range<Int>], graph: DirectedGraph, known: DirectedGraph,
                    validation: [DirectedGraph.Edge], seed: UInt64) -> (blend: NeighbourhoodBlend, report: Report) {
        solve(design(base: base, embeddingBlocks: embeddingBlocks, graph: graph, known: known, validation: validation, seed: seed))
    }

    /// The standardised candidate rows and direction pairs a fit minimises over: everything that
    /// depends on the validation edges, the candidate counts and the seed, but not on
    /// `directionWeight` or `l2`, so a search over those solves one design many times.
    public struct Design: Sendable {
        let objectiveFeatures: Matrix
        let offsets: [Float]
        let queryStarts: [Int]
        let pairs: Matrix
        let scale: [Float]
        let blocks: [Range<Int>]
        let neighbourCap: Int
        let potentialRegularisation: Double
        /// Validation edges the rows came from.
        public var queries: Int { queryStarts.count - 1 }
    }

    /// The design of a fit (arguments as in `fit`).
    public func design(base: RelatedItemModel?, embeddingBlocks: [Range<Int>], graph: DirectedGraph, known: DirectedGraph,
                       validation: [DirectedGraph.Edge], seed: UInt64) -> Design {
        var generator = SeededGenerator(seed: seed ^ 0xB1E4D)
        var queries = validation
        queries.seededSample(keeping: maximumQueries, using: &generator)
        let features = WalkFeature.allCases
        let blockCount = base == nil ? 0 : embeddingBlocks.count
        // Columns: embedding blocks, target degrees and potential (3), walk features (3 each), source
        // degrees and potential (3, last: constant within a query, so only the direction loss moves them).
        let targetColumns = 3, sourceColumns = 3
        let width = blockCount + targetColumns + 3 * features.count + sourceColumns
        let n = graph.nodeCount
        var accumulator = WalkFeatureAccumulator(graph: graph, neighbourCap: neighbourCap)
        let logInDegree = (0..<n).map { log1p(Float(graph.inDegree(of: Int32($0)))) }
        let logOutDegree = (0..<n).map { log1p(Float(graph.outDegree(of: Int32($0)))) }
        let potential = NodePotential.springRank(graph, alpha: potentialRegularisation)

        func embeddingParts(_ u: Int32, _ v: Int32) -> [Float] {
            guard let base else { return [] }
            let d = base.dimension
            return embeddingBlocks.map { block in
                var total: Float = 0
                for c in block { total += base.sourceEmbeddings.values[Int(u) * d + c] * base.targetEmbeddings.values[Int(v) * d + c] }
                return total
            }
        }
        func row(_ u: Int32, _ v: Int32, walks: [Float]) -> [Float] {
            var x = embeddingParts(u, v)
            x.append(logInDegree[Int(v)])
            x.append(logOutDegree[Int(v)])
            x.append(potential[Int(v)])
            for value in walks {
                if value > 0 { x += [1, log(value), logInDegree[Int(v)]] } else { x += [0, 0, 0] }
            }
            x.append(logInDegree[Int(u)])
            x.append(logOutDegree[Int(u)])
            x.append(potential[Int(u)])
            return x
        }

        var rows: [[Float]] = []          // feature rows, query by query, target first
        var logCounts: [Float] = []       // log of how many items a candidate stands for
        var queryStarts: [Int] = [0]
        var directionRows: [[Float]] = []
        var slot = [Int32](repeating: -1, count: n)
        var inStratum = [Bool](repeating: false, count: n)
        let strata = base.map { embeddingStrata(base: $0, blocks: embeddingBlocks.prefix(blockCount), queries: queries, known: known) }
            ?? [[Int32]](repeating: [], count: queries.count)
        for (queryIndex, query) in queries.enumerated() {
            let u = query.source, target = query.target
            // Walk values of every reachable item, by feature.
            var reachable: [Int32] = []
            var values: [[Float]] = []
            for (k, feature) in features.enumerated() {
                accumulator.forEachValue(feature, source: u) { item, value in
                    if slot[Int(item)] < 0 {
                        slot[Int(item)] = Int32(reachable.count)
                        reachable.append(item)
                        values.append([Float](repeating: 0, count: features.count))
                    }
                    values[Int(slot[Int(item)])][k] = value
                }
            }
            func walks(_ item: Int32) -> [Float] {
                slot[Int(item)] >= 0 ? values[Int(slot[Int(item)])] : [Float](repeating: 0, count: features.count)
            }
            func excluded(_ item: Int32) -> Bool { item == u || item == target || known.hasEdge(from: u, to: item) }
            rows.append(row(u, target, walks: walks(target)))
            logCounts.append(0)
            // The embedding stratum (see `embeddingCandidates`): taken whole, each row standing for itself.
            var stratumUnreachable = 0
            for item in strata[queryIndex] {
                inStratum[Int(item)] = true
                if slot[Int(item)] < 0 { stratumUnreachable += 1 }
                rows.append(row(u, item, walks: walks(item)))
                logCounts.append(0)
            }
            var pool = reachable.filter { !excluded($0) && !inStratum[Int($0)] }
            let proposalShare = min(max(walkProposalShare, 0), 1)
            if proposalShare > 0 && pool.count > neighbourhoodCandidates {
                // Draws with replacement from q (see `walkProposalShare`); each stands for 1 / (draws q_i) items.
                var totals = [Float](repeating: 0, count: features.count)
                for item in pool { let w = walks(item); for k in 0..<features.count { totals[k] += w[k] } }
                let active = max(1, totals.filter { $0 > 0 }.count)
                var cumulative = [Double](), running = 0.0
                cumulative.reserveCapacity(pool.count)
                for item in pool {
                    let w = walks(item)
                    var share: Float = 0
                    for k in 0..<features.count where totals[k] > 0 { share += w[k] / totals[k] }
                    running += Double(proposalShare * share / Float(active) + (1 - proposalShare) / Float(pool.count))
                    cumulative.append(running)
                }
                let draws = neighbourhoodCandidates
                for _ in 0..<draws {
                    let r = generator.nextUnitDouble() * running
                    var low = 0, high = pool.count - 1
                    while low < high { let mid = (low + high) / 2; if cumulative[mid] < r { low = mid + 1 } else { high = mid } }
                    let q = (cumulative[low] - (low > 0 ? cumulative[low - 1] : 0)) / running
                    rows.append(row(u, pool[low], walks: walks(pool[low])))
                    logCounts.append(Float(-log(Double(draws) * q)))
                }
            } else {
                let keep = min(pool.count, neighbourhoodCandidates)
                pool.seededPartialShuffle(first: keep, using: &generator)
                let reachableWeight = keep > 0 ? log(Float(pool.count) / Float(keep)) : 0
                for item in pool.prefix(keep) {
                    rows.append(row(u, item, walks: walks(item)))
                    logCounts.append(reachableWeight)
                }
            }
            // Items no walk reaches (and that are not excluded or in the stratum): a uniform sample by
            // rejection, each draw standing for count / draws taken of them. The count is exact: the
            // excluded items (source, target, known targets) a walk reaches are already out of `reachable`'s.
            var excludedItems = Set(known.outNeighbours(of: u))
            excludedItems.insert(u)
            excludedItems.insert(target)
            let unreachableCount = n - reachable.count - excludedItems.filter { slot[Int($0)] < 0 }.count - stratumUnreachable
            if unreachableCount > 0 {
                let draws = min(uniformCandidates, unreachableCount)
                let first = rows.count
                var attempts = 0
                while rows.count - first < draws && attempts < 20 * draws {
                    attempts += 1
                    let item = Int32(generator.nextIndex(below: n))
                    guard slot[Int(item)] < 0, !inStratum[Int(item)], !excluded(item) else { continue }
                    rows.append(row(u, item, walks: walks(item)))
                }
                // Fewer than `draws` when unreachable items are rare: the ones taken stand for all of them.
                let taken = rows.count - first
                if taken > 0 { logCounts += repeatElement(log(Float(unreachableCount) / Float(taken)), count: taken) }
            }
            queryStarts.append(rows.count)
            for item in reachable { slot[Int(item)] = -1 }
            for item in strata[queryIndex] { inStratum[Int(item)] = false }
            // Direction: a one-way edge should score above its reverse.
            if known.isOneWay(query) {
                let reverseWalks = features.map { accumulator.value($0, source: target, target: u) }
                let forward = rows[queryStarts[queryStarts.count - 2]]
                let backward = row(target, u, walks: reverseWalks)
                directionRows.append(zip(forward, backward).map { $0 - $1 })
            }
        }

        // Standardise every feature column over the candidate rows; constant columns stay as they are.
        var mean = [Float](repeating: 0, count: width), scale = [Float](repeating: 1, count: width)
        if !rows.isEmpty {
            for j in 0..<width {
                let column = rows.map { Double($0[j]) }
                let m = column.reduce(0, +) / Double(column.count)
                let variance = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(column.count)
                // Indicator columns are not centred, so a zero walk value keeps contributing zero.
                let isIndicator = j >= blockCount + targetColumns && j < width - sourceColumns && (j - blockCount - targetColumns) % 3 == 0
                mean[j] = isIndicator ? 0 : Float(m)
                scale[j] = variance > 1e-12 ? Float(variance.squareRoot()) : 1
            }
        }
        let rowCount = rows.count, pairCount = directionRows.count
        var x = Matrix(rows: rowCount, columns: width)
        for (r, values) in rows.enumerated() { for j in 0..<width { x.values[r * width + j] = (values[j] - mean[j]) / scale[j] } }
        var pairs = Matrix(rows: pairCount, columns: width)
        for (r, values) in directionRows.enumerated() { for j in 0..<width { pairs.values[r * width + j] = values[j] / scale[j] } }
        return Design(objectiveFeatures: x, offsets: logCounts, queryStarts: queryStarts, pairs: pairs, scale: scale,
                      blocks: Array(embeddingBlocks.prefix(blockCount)), neighbourCap: neighbourCap,
                      potentialRegularisation: potentialRegularisation)
    }

    /// For each query, the `embeddingCandidates` items each block scores highest for its source
    /// (s_u . t_v over the block's columns), skipping the source, the query's target, the source's
    /// known targets and items an earlier block took. Scores come from one matrix product per block
    /// and chunk of queries: O(queries x items x dimension) flops through BLAS, O(queries x items) scan.
    func embeddingStrata(base: RelatedItemModel, blocks: ArraySlice<Range<Int>>, queries: [DirectedGraph.Edge],
                         known: DirectedGraph) -> [[Int32]] {
        let d = base.dimension, n = base.itemCount
        var strata = [[Int32]](repeating: [], count: queries.count)
        guard embeddingCandidates > 0, !blocks.isEmpty, n > 0 else { return strata }
        let chunk = max(1, min(queries.count, (1 << 22) / n))
        var taken = [Bool](repeating: false, count: n)
        for block in blocks {
            var targets = Matrix(rows: n, columns: block.count)
            for v in 0..<n { for (j, c) in block.enumerated() { targets.values[v * block.count + j] = base.targetEmbeddings.values[v * d + c] } }
            for first in stride(from: 0, to: queries.count, by: chunk) {
                let rows = min(chunk, queries.count - first)
                var sources = Matrix(rows: rows, columns: block.count)
                for r in 0..<rows {
                    let u = Int(queries[first + r].source)
                    for (j, c) in block.enumerated() { sources.values[r * block.count + j] = base.sourceEmbeddings.values[u * d + c] }
                }
                let scores = MatrixProduct.forward(sources, targets, transposeB: true)
                for r in 0..<rows {
                    let q = first + r, u = queries[q].source, target = queries[q].target
                    for item in strata[q] { taken[Int(item)] = true }
                    var top = TopKSelector(capacity: embeddingCandidates)
                    for v in 0..<n {
                        let score = scores.values[r * n + v]
                        guard score > top.admissionScore, !taken[v] else { continue }
                        let item = Int32(v)
                        guard item != u, item != target, !known.hasEdge(from: u, to: item) else { continue }
                        top.offer(score: score, index: item)
                    }
                    for item in strata[q] { taken[Int(item)] = false }
                    strata[q] += top.sorted().map(\.index)
                }
            }
        }
        return strata
    }

    /// The blend minimising this fitter's objective (its `directionWeight` and `l2`) over `design`.
    public func solve(_ design: Design) -> (blend: NeighbourhoodBlend, report: Report) {
        let features = WalkFeature.allCases
        let blockCount = design.blocks.count, width = design.objectiveFeatures.columns
        let targetColumns = 3
        let queryStarts = design.queryStarts, scale = design.scale
        let rowCount = design.objectiveFeatures.rows, pairCount = design.pairs.rows
        // Damped Newton on the convex objective, from "embedding blocks only".
        var start = [Float](repeating: 0, count: width)
        for b in 0..<blockCount { start[b] = 1 }
        let objective = BlendObjective(features: design.objectiveFeatures, offsets: design.offsets, queryStarts: queryStarts,
                                       pairs: design.pairs, directionWeight: directionWeight, l2: l2)
        let (theta, finalLoss, steps) = objective.minimise(from: start, maximumSteps: maximumNewtonSteps)
        var report = Report()
        report.queries = queryStarts.count - 1
        report.directionPairs = pairCount
        report.rows = rowCount
        report.finalLoss = finalLoss
        report.newtonSteps = steps

        // Back to raw features: theta_j (x_j - mean_j) / scale_j. Centring shifts every candidate's
        // score by the same constant (an unreached walk's raw value is 0 too), so raw weights alone
        // rank identically.
        let raw = (0..<width).map { theta[$0] / scale[$0] }
        var walkWeights: [WalkFeature: NeighbourhoodTerm.Weights] = [:]
        for (k, feature) in features.enumerated() {
            let j = blockCount + targetColumns + 3 * k
            walkWeights[feature] = .init(presence: raw[j], logWeight: raw[j + 1], inDegreeWeight: raw[j + 2])
        }
        let blend = NeighbourhoodBlend(blocks: design.blocks, blockWeights: Array(raw.prefix(blockCount)),
                                       inDegreeWeight: raw[blockCount], outDegreeWeight: raw[blockCount + 1], potentialWeight: raw[blockCount + 2],
                                       sourceInDegreeWeight: raw[width - 3], sourceOutDegreeWeight: raw[width - 2],
                                       sourcePotentialWeight: raw[width - 1], potentialRegularisation: design.potentialRegularisation,
                                       term: NeighbourhoodTerm(weights: walkWeights, neighbourCap: design.neighbourCap))
        return (blend, report)
    }
}
