import VaneGraph
import VaneTensor

extension NodePotential {
    /// SpringRank's alpha where none is chosen (fewer than `minimumRegularisationPairs` one-way
    /// validation edges, or a caller that fixes it): the alpha of every potential before it was chosen.
    public static let defaultRegularisation = 0.5

    /// The alphas `chooseRegularisation` compares. Small alpha lets a node's height follow its
    /// neighbours' along long chains (a citation graph's time order); large alpha shrinks each height
    /// towards 0 by the node's own degree, phi_u -> (outdeg u - indeg u) / (deg u + alpha): a net
    /// out-degree order. Measured with a temporary build that fixed alpha (not a command in the repo),
    /// the `springrank` baseline's test direction AUC at alpha 0.5 against 20 (3 seeds, the graphs of
    /// docs/results/related.md and related-unseen.md): CiteSeer .877 / .857,
    /// Cora-ML .899 / .880, the generator's `medium` .803 / .831, `sparse` .826 / .843, `dense`
    /// .823 / .830: no one alpha suits both kinds of graph.
    public static let regularisationGrid: [Double] = [0.1, 0.5, 2, 8, 32]

    /// One-way validation edges needed to choose alpha at all (as many as `DirectionAnchor` needs).
    public static let minimumRegularisationPairs = DirectionAnchor.defaultMinimumPairs

    /// Training edges held out per fold of `chooseRegularisation` (a share of the training graph).
    public static let regularisationFoldShare = 0.1
    /// Folds of training edges `chooseRegularisation` holds out, on top of the validation edges.
    public static let regularisationFolds = 2

    /// What `chooseRegularisation` found.
    public struct RegularisationChoice: Sendable, Equatable {
        public let alpha: Double
        /// The pooled direction AUC at each alpha of `regularisationGrid`, in its order (empty when
        /// there were too few one-way validation edges to choose).
        public let directionAUCs: [Double]
        /// Held-out one-way edges the AUCs are over (validation and training folds).
        public let pairs: Int

        /// The trials as text, for model files and logs.
        public var summary: String {
            zip(NodePotential.regularisationGrid, directionAUCs).map { "\($0.0): \(String(format: "%.4f", $0.1))" }
                .joined(separator: "; ") + " (\(pairs) held-out one-way edges)"
        }
    }

    /// SpringRank's alpha chosen on held-out edges: the grid alpha whose potential orients held-out
    /// one-way edges best (direction AUC of phi_u - phi_v, ties 1/2). One-way means v -> u is not in
    /// `known` (every edge known at fitting time). The held-out edges are the one-way edges of
    /// `validation`, scored by the potential over `graph` (the training graph), pooled with
    /// `folds` disjoint seeded folds of `foldShare` (at most 1/2) of the training edges,
    /// each scored by the potential over the training graph without that fold: a few hundred validation
    /// edges alone moved the choice by their noise (AUCs of the grid within 0.01 of each other), and
    /// the folds add about 3.4 times as many pairs. A tie with `defaultRegularisation` keeps it, other
    /// ties go to the earlier alpha. Test edges are never seen. Deterministic for a seed.
    /// Fewer than `minimumRegularisationPairs` one-way validation edges: `defaultRegularisation`.
    /// Cost: (1 + folds) x grid `springRank` solves, each O(iterations x (nodes + edges)).
    public static func chooseRegularisation(graph: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge],
                                            seed: UInt64, folds: Int = regularisationFolds,
                                            foldShare: Double = regularisationFoldShare) -> RegularisationChoice {
        let oneWay = validation.filter(known.isOneWay)
        guard oneWay.count >= minimumRegularisationPairs else {
            return RegularisationChoice(alpha: defaultRegularisation, directionAUCs: [], pairs: oneWay.count)
        }
        var trainingEdges = graph.edges
        var generator = SeededGenerator(seed: seed ^ 0x5A1F_A11A)
        trainingEdges.seededShuffle(using: &generator)
        let foldSize = Int(Double(trainingEdges.count) * min(max(foldShare, 0), 0.5))
        // (graph the potential is solved over, the one-way edges it is scored on)
        var problems: [(graph: DirectedGraph, pairs: [DirectedGraph.Edge])] = [(graph, oneWay)]
        if foldSize > 0 {
            for fold in 0..<min(max(folds, 0), trainingEdges.count / foldSize) {
                let range = (fold * foldSize)..<((fold + 1) * foldSize)
                let heldOut = trainingEdges[range].filter(known.isOneWay)
                guard !heldOut.isEmpty else { continue }
                problems.append((graph.withEdges(Array(trainingEdges[..<range.lowerBound] + trainingEdges[range.upperBound...])), heldOut))
            }
        }
        let pairs = problems.reduce(0) { $0 + $1.pairs.count }
        let aucs = regularisationGrid.map { alpha -> Double in
            var wins = 0.0
            for problem in problems {
                let potential = springRank(problem.graph, alpha: alpha)
                for edge in problem.pairs {
                    wins += LinkPredictionEvaluator.directionCredit(forward: potential[Int(edge.source)], backward: potential[Int(edge.target)])
                }
            }
            return wins / Double(pairs)
        }
        var best = regularisationGrid.firstIndex(of: defaultRegularisation) ?? 0
        for index in aucs.indices where aucs[index] > aucs[best] { best = index }
        return RegularisationChoice(alpha: regularisationGrid[best], directionAUCs: aucs, pairs: pairs)
    }
}
