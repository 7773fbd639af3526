import Dispatch
import Foundation
import VaneGraph
import VaneTensor

/// The part of a related-items score that reads the graph instead of embeddings: for each
/// `WalkFeature` k with walk probability x_k(u, v) > 0, it adds
///
///   score(u -> v) = s_u . t_v + sum_k [x_k(u, v) > 0] (presence_k + logWeight_k * log x_k(u, v)
///                                                      + inDegreeWeight_k * log(1 + indeg(v)))
///
/// A positive `logWeight` with a large `presence` ranks walk-reachable items first, in walk-probability
/// order (P3 itself; with inDegreeWeight -beta it is RP3beta's P3 / indeg(v)^beta); a negative
/// weight on `reverseEdge` or `backwardPath` tells direction. Weights are fitted on validation edges by `NeighbourhoodBlendFitter`. Cost per source: one walk per feature
/// with a non-zero weight (see `WalkFeatureAccumulator`), plus O(items touched).
public struct NeighbourhoodTerm: Sendable, Equatable, Codable {
    /// Per-feature weights; features absent here contribute nothing.
    public struct Weights: Sendable, Equatable, Codable {
        public var presence: Float
        public var logWeight: Float
        public var inDegreeWeight: Float
        public init(presence: Float, logWeight: Float, inDegreeWeight: Float = 0) {
            self.presence = presence
            self.logWeight = logWeight
            self.inDegreeWeight = inDegreeWeight
        }

        /// The contribution of walk probability `value` > 0 to a target of in-degree `inDegree`.
        @inlinable public func contribution(value: Float, inDegree: Int) -> Float {
            presence + logWeight * log(value) + (inDegreeWeight == 0 ? 0 : inDegreeWeight * log1p(Float(inDegree)))
        }
    }

    public var weights: [WalkFeature: Weights]
    /// Longest neighbour list walked in full (longer ones are strided; see `WalkFeatureAccumulator`).
    public var neighbourCap: Int

    public init(weights: [WalkFeature: Weights], neighbourCap: Int = 256) {
        self.weights = weights
        self.neighbourCap = neighbourCap
    }

    /// Features with a non-zero weight, in `WalkFeature.allCases` order.
    public var activeFeatures: [WalkFeature] {
        WalkFeature.allCases.filter { weights[$0].map { $0.presence != 0 || $0.logWeight != 0 || $0.inDegreeWeight != 0 } ?? false }
    }

    /// Names the first weight that is not finite, or a cap outside 1...512 (the cap bounds the work of
    /// one source at cap^3 walk steps, so a hand-edited model cannot make a request run for minutes).
    public func validate() -> String? {
        for (feature, weight) in weights where !weight.presence.isFinite || !weight.logWeight.isFinite || !weight.inDegreeWeight.isFinite {
            return "neighbourhood weight of \(feature.rawValue) is not finite"
        }
        guard (1...512).contains(neighbourCap) else { return "neighbourCap must be in 1...512, got \(neighbourCap)" }
        return nil
    }

    /// Adds this term for `source` into `row` (one score per item).
    public func add(source: Int32, into row: UnsafeMutableBufferPointer<Float>, accumulator: inout WalkFeatureAccumulator) {
        let graph = accumulator.graph
        for feature in activeFeatures {
            let weight = weights[feature]!
            accumulator.forEachValue(feature, source: source) { item, value in
                row[Int(item)] += weight.contribution(value: value, inDegree: graph.inDegree(of: item))
            }
        }
    }

    /// Adds this term to every row of `scores` (row i belongs to `sources[i]`), rows on all cores.
    func add(sources: [Int32], graph: DirectedGraph, into scores: inout Matrix) {
        guard !activeFeatures.isEmpty else { return }
        let n = scores.columns, cap = neighbourCap
        scores.values.withUnsafeMutableBufferPointer { buffer in
            let base = SharedPointer(buffer.baseAddress!)
            // Rows are disjoint slices of the buffer: each iteration writes only its own row.
            let workers = min(sources.count, 2 * ProcessInfo.processInfo.activeProcessorCount)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var accumulator = WalkFeatureAccumulator(graph: graph, neighbourCap: cap)
                for row in stride(from: worker, to: sources.count, by: workers) {
                    let slice = UnsafeMutableBufferPointer(start: base + row * n, count: n)
                    add(source: sources[row], into: slice, accumulator: &accumulator)
                }
            }
        }
    }
}
