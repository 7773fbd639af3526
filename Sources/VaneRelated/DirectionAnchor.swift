import Foundation
import VaneGraph
import VaneTensor

/// A rank-preserving correction of a blend's direction, chosen out of fold on validation edges.
///
/// Adding alpha phi_u to every score of source u (phi the blend's SpringRank potential, `NodePotential`)
/// changes no source's recommendations, but moves the direction of each pair:
///
///   score'(u -> v) - score'(v -> u) = D(u, v) + alpha (phi_u - phi_v),   D = score(u -> v) - score(v -> u).
///
/// alpha = 0 keeps the blend's own direction; as alpha grows the direction becomes the SpringRank
/// order's (the `springrank` baseline's direction AUC); in between the two signals are mixed. The
/// blend's direction weights are fitted on the few hundred one-way validation edges of a small
/// graph, so its D can be noisier than the potential, which is fitted on every training edge.
///
/// Choice (test edges are never seen): the validation edges are shuffled with the seed and cut into
/// two folds; the blend is fitted on each fold and its D measured on the other fold's one-way edges,
/// D and the gap phi_u - phi_v standardised per fold; a logistic model P(oriented right) =
/// sigmoid(a D' + b gap') fitted on all held-out pairs gives the mixing multiple m = b / a, clamped to
/// the range of `multiples` (a smooth estimate: the argmax of a few hundred pairs' AUC over a grid
/// moved by 0.01 between neighbours). alpha = m x sd(D) / sd(gap). `anchored` applies m, scaled by
/// the final blend's own sd ratio on all one-way validation edges, to the blend fitted on all of them. Fewer than
/// `minimumPairs` one-way validation edges: m = 0.
/// Cost: two blend fits on half the validation edges, and O(pairs x multiples).
public struct DirectionAnchor: Sendable {
    /// Multiples of sd(D) / sd(phi gap) reported; their range bounds the chosen one, so scores keep
    /// their float precision (a source's offset stays within a few times the spread of its scores).
    public var multiples: [Float] = [0, 0.25, 0.5, 1, 2, 4, 8]
    /// One-way validation edges needed to choose at all.
    public var minimumPairs = DirectionAnchor.defaultMinimumPairs
    /// The default of `minimumPairs`, also what `NodePotential.chooseRegularisation` needs to choose alpha.
    public static let defaultMinimumPairs = 40

    public init() {}

    /// One multiple and its pooled out-of-fold direction AUC.
    public struct Trial: Sendable, Equatable {
        public let multiple: Float
        public let directionAUC: Double
    }

    /// What the choice found.
    public struct Choice: Sendable, Equatable {
        public let multiple: Float
        /// Pooled out-of-fold direction AUC of each reported multiple (empty when no choice was made).
        public let trials: [Trial]
        /// One-way held-out edges the AUCs are over.
        public let pairs: Int

        public static let none = Choice(multiple: 0, trials: [], pairs: 0)
    }

    /// `blend` (fitted by `fitter` on all of `validation`) with the multiple the out-of-fold protocol
    /// above picks added to its direction, the choice, and the alpha applied (0 without a choice);
    /// arguments as in `NeighbourhoodBlendFitter.fit`. Deterministic for a seed.
    public func anchored(_ blend: NeighbourhoodBlend, fitter: NeighbourhoodBlendFitter, base: RelatedItemModel?, embeddingBlocks: [Range<Int>],
                         graph: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge],
                         seed: UInt64) -> (blend: NeighbourhoodBlend, choice: Choice, alpha: Float) {
        let oneWay = validation.filter(known.isOneWay)
        guard oneWay.count >= minimumPairs, !multiples.isEmpty else { return (blend, .none, 0) }
        let potential = NodePotential.springRank(graph, alpha: blend.potentialRegularisation)
        let choice = choose(fitter: fitter, base: base, embeddingBlocks: embeddingBlocks, graph: graph, known: known,
                            validation: validation, seed: seed, potential: potential)
        guard choice.multiple > 0 else { return (blend, choice, 0) }
        let model = blend.model(base: base, graph: graph, method: "anchor")
        let (differences, gaps) = Self.directions(of: model, pairs: oneWay, potential: potential)
        let alpha = choice.multiple * Self.spreadRatio(differences, gaps)
        return (blend.addingSourcePotential(alpha), choice, alpha)
    }

    /// The multiple the out-of-fold protocol picks for blends of `fitter`; `potential` is phi over `graph`.
    func choose(fitter: NeighbourhoodBlendFitter, base: RelatedItemModel?, embeddingBlocks: [Range<Int>], graph: DirectedGraph,
                known: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64, potential: [Float]) -> Choice {
        var generator = SeededGenerator(seed: seed ^ 0xA4C7_0D1E)
        var shuffled = validation
        shuffled.seededShuffle(using: &generator)
        let half = shuffled.count / 2
        let folds = [Array(shuffled[..<half]), Array(shuffled[half...])]
        // Held-out (D, gap) pairs of both folds, each fold's in its own blend's standard units.
        var standardised: [(d: Double, gap: Double)] = []
        var raw: [(differences: [Float], gaps: [Float], scale: Float)] = []
        for fold in 0..<2 {
            let heldOut = folds[1 - fold].filter(known.isOneWay)
            guard !heldOut.isEmpty else { continue }
            let (blend, _) = fitter.fit(base: base, embeddingBlocks: embeddingBlocks, graph: graph, known: known,
                                        validation: folds[fold], seed: seed &+ UInt64(fold))
            let model = blend.model(base: base, graph: graph, method: "anchor")
            let (differences, gaps) = Self.directions(of: model, pairs: heldOut, potential: potential)
            let (sdD, sdGap) = (Self.standardDeviation(differences), Self.standardDeviation(gaps))
            guard sdD > 0, sdGap > 1e-12 else { continue }
            for (d, gap) in zip(differences, gaps) { standardised.append((Double(d) / sdD, Double(gap) / sdGap)) }
            raw.append((differences, gaps, Float(sdD / sdGap)))
        }
        guard !standardised.isEmpty else { return .none }
        let multiple = Self.mixingMultiple(standardised, bounds: multiples.min()!...multiples.max()!)
        // Reported: the pooled out-of-fold direction AUC at each listed multiple and at the chosen one.
        let pairs = raw.reduce(0) { $0 + $1.differences.count }
        let trials = (multiples + (multiples.contains(multiple) ? [] : [multiple])).sorted().map { m -> Trial in
            let wins = raw.reduce(0.0) { total, fold in
                total + Self.directionAUC(differences: fold.differences, potentialGaps: fold.gaps, alpha: m * fold.scale) * Double(fold.differences.count)
            }
            return Trial(multiple: m, directionAUC: wins / Double(pairs))
        }
        return Choice(multiple: multiple, trials: trials, pairs: pairs)
    }

    /// b / a of the logistic model P(the pair is oriented right) = sigmoid(a d + b gap), no intercept
    /// (the pairs' orientation is arbitrary), fitted by Newton's method with a small ridge; clamped to
    /// `bounds`, and the upper bound when a <= 0 (D tells nothing the potential does not).
    static func mixingMultiple(_ pairs: [(d: Double, gap: Double)], bounds: ClosedRange<Float>) -> Float {
        var a = 1.0, b = 0.0
        let ridge = 1e-3 * Double(pairs.count)
        for _ in 0..<50 {
            var ga = -ridge * a, gb = -ridge * b, haa = ridge, hab = 0.0, hbb = ridge
            for (d, gap) in pairs {
                let p = 1 / (1 + exp(-(a * d + b * gap)))
                ga += (1 - p) * d; gb += (1 - p) * gap
                let w = p * (1 - p)
                haa += w * d * d; hab += w * d * gap; hbb += w * gap * gap
            }
            let determinant = haa * hbb - hab * hab
            guard determinant > 1e-12 else { break }
            let stepA = (hbb * ga - hab * gb) / determinant, stepB = (haa * gb - hab * ga) / determinant
            a += stepA; b += stepB
            if abs(stepA) + abs(stepB) < 1e-9 { break }
        }
        guard a.isFinite, b.isFinite else { return bounds.lowerBound }
        guard a > 1e-9 else { return bounds.upperBound }
        return min(max(Float(b / a), bounds.lowerBound), bounds.upperBound)
    }

    /// D(u, v) and phi_u - phi_v of each pair u -> v.
    static func directions(of model: RelatedItemModel, pairs: [DirectedGraph.Edge], potential: [Float]) -> (differences: [Float], gaps: [Float]) {
        let forward = model.scores(of: pairs)
        let backward = model.scores(of: pairs.map { DirectedGraph.Edge(source: $0.target, target: $0.source) })
        return (zip(forward, backward).map { $0 - $1 }, pairs.map { potential[Int($0.source)] - potential[Int($0.target)] })
    }

    /// Sample standard deviation; 0 for fewer than two values or a non-finite one.
    static func standardDeviation(_ x: [Float]) -> Double {
        guard x.count > 1 else { return 0 }
        let mean = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
        let sd = (x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(x.count - 1)).squareRoot()
        return sd.isFinite ? sd : 0
    }

    /// sd(differences) / sd(gaps); 0 when either does not vary (nothing to scale by).
    static func spreadRatio(_ differences: [Float], _ gaps: [Float]) -> Float {
        let a = standardDeviation(differences), b = standardDeviation(gaps)
        guard a > 0, b > 1e-12 else { return 0 }
        return Float(a / b)
    }

    /// P(D + alpha gap > 0) over the pairs, ties 1/2: the direction AUC of the anchored scores.
    public static func directionAUC(differences: [Float], potentialGaps: [Float], alpha: Float) -> Double {
        precondition(differences.count == potentialGaps.count, "directionAUC: one gap per difference")
        guard !differences.isEmpty else { return 0.5 }
        var total = 0.0
        for (d, gap) in zip(differences, potentialGaps) {
            let value = d + alpha * gap
            total += LinkPredictionEvaluator.directionCredit(forward: value, backward: 0)
        }
        return total / Double(differences.count)
    }
}

extension NeighbourhoodBlend {
    /// The same blend with `alpha` added to the source potential weight: alpha phi_u more on every
    /// score of source u (`DirectionAnchor`).
    public func addingSourcePotential(_ alpha: Float) -> NeighbourhoodBlend {
        NeighbourhoodBlend(blocks: blocks, blockWeights: blockWeights, inDegreeWeight: inDegreeWeight, outDegreeWeight: outDegreeWeight,
                           potentialWeight: potentialWeight, sourceInDegreeWeight: sourceInDegreeWeight,
                           sourceOutDegreeWeight: sourceOutDegreeWeight, sourcePotentialWeight: sourcePotentialWeight + alpha,
                           potentialRegularisation: potentialRegularisation, term: term)
    }
}
