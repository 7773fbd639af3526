import Foundation
import VaneGraph
import VaneTensor

/// A bounded, seeded search over the blend's settings on validation edges (`--tune BUDGET`): the
/// direction-loss weight and the L2 penalty. Neither changes the blend's design (candidate rows and
/// direction pairs), so each fold's design is built once and solved once per setting.
///
/// Protocol (test edges are never seen): the validation edges are shuffled with the seed and cut
/// into two folds; each setting is fitted on one fold and ranked on the other, both ways, and its
/// MRR and direction AUC are the query-weighted means over the two folds (2-fold cross-fitting).
/// The first setting tried is always the defaults; the rest are a seeded sample of `grid`.
/// Choice: among settings whose direction AUC is within `directionTolerance` of the best one
/// found, the highest MRR (direction is what the model is for, so ranking is bought only with a
/// negligible loss of it). The chosen setting is then fitted on all validation edges by the caller.
/// With embedding blocks, one more trial follows: the best setting so far without them (the same
/// designs' rows, the blocks' columns dropped: `NeighbourhoodBlendFitter.Design.withoutEmbeddings`),
/// so the folds decide whether the embeddings earn their place in the blend at all; the choice
/// rule then runs over every trial. (Where they add nothing, a blend cannot always tell: on Debian
/// and Digital Music `walks` alone ranked test edges 0.002 MRR above the default on 3 seeds of
/// 3, `docs/results/related.md` of 2026-12-07, while their folds' MRR ordered the two the same way
/// on 4 of those 6 seeds.)
/// Budget 1, or fewer than `minimumValidationEdges` validation edges, skips the search.
/// Cost: one blend design per fold, then (budget + 1) x 2 x (one Newton solve + one ranking of at
/// most `selectionQueries` edges).
public struct BlendSearch: Sendable {
    /// One point of the search space.
    public struct Setting: Sendable, Equatable, CustomStringConvertible {
        public var directionWeight: Float
        public var l2: Float
        /// Whether the blend keeps its embedding blocks (false: walks, degrees and potentials only,
        /// the `walks` method's score). Only the search's last trial sets it false.
        public var usesEmbeddings = true

        public init(directionWeight: Float, l2: Float, usesEmbeddings: Bool = true) {
            self.directionWeight = directionWeight
            self.l2 = l2
            self.usesEmbeddings = usesEmbeddings
        }

        /// The fitter's own defaults.
        public static let defaults = Setting(fitter: NeighbourhoodBlendFitter())

        init(fitter: NeighbourhoodBlendFitter) {
            self.init(directionWeight: fitter.directionWeight, l2: fitter.l2)
        }

        /// A fitter with this setting.
        public var fitter: NeighbourhoodBlendFitter {
            var fitter = NeighbourhoodBlendFitter()
            fitter.directionWeight = directionWeight
            fitter.l2 = l2
            return fitter
        }

        public var description: String { "direction weight \(directionWeight), l2 \(l2)" + (usesEmbeddings ? "" : ", without embeddings") }
    }

    /// What one setting scored on the held-out folds.
    public struct Trial: Sendable {
        public let setting: Setting
        public let meanReciprocalRank: Double
        /// Nil when no held-out edge is one-way.
        public let directionAUC: Double?
    }

    /// The search space: 6 direction weights x 3 penalties. (The query count of the fit is not
    /// searched: as a search dimension 2,000 queries against 600 was never chosen on the five graphs
    /// of ../shared/data, since the folds' 500 held-out edges cannot see a 0.002 MRR difference; the
    /// fit's default is 2,000 all the same, `NeighbourhoodBlendFitter.maximumQueries`: fewer queries
    /// only add variance to the weights.)
    public static let grid: [Setting] = {
        var settings: [Setting] = []
        for directionWeight: Float in [0, 0.1, 0.3, 1, 3, 10] {
            for l2: Float in [1e-4, 1e-3, 1e-2] {
                settings.append(Setting(directionWeight: directionWeight, l2: l2))
            }
        }
        return settings
    }()

    public static let defaultBudget = 8
    /// Settings tried, defaults included (1 = no search), at most `grid.count`.
    public var budget: Int
    /// How much direction AUC a setting may give up, against the best setting found, for more MRR.
    public var directionTolerance = 0.005
    /// Held-out edges ranked per fold (a seeded sample when there are more).
    public var selectionQueries = 500
    /// Fewer validation edges than this skip the search: with a few hundred held-out edges the
    /// folds' MRR and direction AUC move by more (sd ~0.02-0.03) than the settings differ.
    public var minimumValidationEdges = 1000

    public init(budget: Int = BlendSearch.defaultBudget) { self.budget = budget }

    /// Throws when the budget is outside 1...grid.count.
    public func validate() throws(RelatedError) {
        guard budget >= 1 && budget <= Self.grid.count else {
            throw RelatedError(.invalidConfiguration, "tune budget must be in 1...\(Self.grid.count), got \(budget)")
        }
    }

    /// The settings a search of this budget tries, in order: the defaults, then a seeded sample.
    public func settings(seed: UInt64) -> [Setting] {
        var generator = SeededGenerator(seed: seed ^ 0x7E5E)
        var others = Self.grid.filter { $0 != .defaults }
        others.seededSample(keeping: max(0, budget - 1), using: &generator)
        return [.defaults] + others
    }

    /// The chosen setting and every trial. `base`, `embeddingBlocks`, `graph` (the training graph),
    /// `known` and `validation` are as in `NeighbourhoodBlendFitter.fit`; every trial's potential has
    /// SpringRank's `potentialRegularisation` (`NeighbourhoodBlendFitter.potentialRegularisation`).
    public func search(base: RelatedItemModel?, embeddingBlocks: [Range<Int>], graph: DirectedGraph, known: DirectedGraph,
                       validation: [DirectedGraph.Edge], seed: UInt64,
                       potentialRegularisation: Double = NodePotential.defaultRegularisation) -> (chosen: Setting, trials: [Trial]) {
        guard budget > 1, validation.count >= max(20, minimumValidationEdges) else { return (.defaults, []) }
        var generator = SeededGenerator(seed: seed ^ 0xF01D)
        var shuffled = validation
        shuffled.seededShuffle(using: &generator)
        let half = shuffled.count / 2
        let folds = [Array(shuffled[..<half]), Array(shuffled[half...])]
        let heldOut = folds.map { fold -> [DirectedGraph.Edge] in
            var sample = fold
            sample.seededSample(keeping: selectionQueries, using: &generator)
            return sample
        }
        let evaluator = LinkPredictionEvaluator(knownEdges: known, trainingGraph: graph)
        var defaultFitter = Setting.defaults.fitter
        defaultFitter.potentialRegularisation = potentialRegularisation
        let designs = (0..<2).map { fold in
            defaultFitter.design(base: base, embeddingBlocks: embeddingBlocks, graph: graph, known: known,
                                 validation: folds[fold], seed: seed &+ UInt64(fold))
        }
        // One-way held-out edges of each fold: the weight of its direction AUC.
        let oneWay = heldOut.map { fold in fold.filter(known.isOneWay).count }
        var trials: [Trial] = []
        func trial(_ setting: Setting) -> Trial {
            var rankTotal = 0.0, rankCount = 0, directionTotal = 0.0, directionCount = 0
            for fold in 0..<2 {
                let design = setting.usesEmbeddings ? designs[fold] : designs[fold].withoutEmbeddings()
                let (blend, _) = setting.fitter.solve(design)
                let model = blend.model(base: setting.usesEmbeddings ? base : nil, graph: graph, method: "search")
                let evaluation = evaluator.evaluate(model, test: heldOut[1 - fold])
                rankTotal += evaluation.meanReciprocalRank * Double(evaluation.queries)
                rankCount += evaluation.queries
                if let auc = evaluation.directionAUC {
                    directionTotal += auc * Double(oneWay[1 - fold])
                    directionCount += oneWay[1 - fold]
                }
            }
            return Trial(setting: setting, meanReciprocalRank: rankTotal / Double(max(1, rankCount)),
                         directionAUC: directionCount > 0 ? directionTotal / Double(directionCount) : nil)
        }
        for setting in settings(seed: seed) { trials.append(trial(setting)) }
        if base != nil, !embeddingBlocks.isEmpty, var best = choose(trials) {
            best.usesEmbeddings = false
            trials.append(trial(best))
        }
        return (choose(trials) ?? .defaults, trials)
    }

    /// The rule above: the highest MRR among trials within `directionTolerance` of the best direction AUC
    /// (all trials when none has one); the earlier trial on ties.
    public func choose(_ trials: [Trial]) -> Setting? {
        let bestDirection = trials.compactMap(\.directionAUC).max()
        let eligible = trials.filter { trial in
            guard let bestDirection, let auc = trial.directionAUC else { return true }
            return auc >= bestDirection - directionTolerance
        }
        var best: Trial?
        for trial in eligible where best == nil || trial.meanReciprocalRank > best!.meanReciprocalRank { best = trial }
        return best?.setting
    }
}

extension BlendSearch.Trial {
    /// One line for model files and logs.
    public var summary: String {
        "\(setting): MRR \(String(format: "%.4f", meanReciprocalRank)), direction AUC \(directionAUC.map { String(format: "%.4f", $0) } ?? "n/a")"
    }
}
