import Foundation
import VaneGraph
import VaneMetrics

/// The SPEC.md protocol repeated over seeds (a fresh split, initialisation and sampling per seed),
/// every method in the same harness, summarised as mean ± sd with paired differences against the
/// strongest other method. This is what `vane graph evaluate --seeds` runs.
public struct RelatedSweep: Sendable {
    /// Every method's result per seed, in seed order.
    public let seeds: [UInt64]
    public let results: [RelatedMethod: [RelatedExperiment.Result]]
    public let testEdges: [Int]

    /// Runs `methods` on `graph` for each seed (methods that cannot run on a graph this size, EASE
    /// beyond `EASEBaseline.maximumItems` nodes, are left out); `progress(seed, method, event)` follows the work.
    public static func run(graph: DirectedGraph, seeds: [UInt64], methods: [RelatedMethod], base: DirectedGNNConfiguration,
                           search: BlendSearch = BlendSearch(),
                           testEdgeFilter: (@Sendable (DirectedGraph.Edge) -> Bool)? = nil,
                           progress: ((UInt64, RelatedMethod, DirectedGNNTrainer.Event?) -> Void)? = nil) throws(RelatedError) -> RelatedSweep {
        guard !seeds.isEmpty else { throw RelatedError(.invalidRequest, "no seeds given") }
        var results: [RelatedMethod: [RelatedExperiment.Result]] = [:]
        var testEdges: [Int] = []
        for seed in seeds {
            let experiment: RelatedExperiment
            do { experiment = try RelatedExperiment(graph: graph, seed: seed, testEdgeFilter: testEdgeFilter) } catch {
                throw RelatedError(.invalidRequest, error.message)
            }
            testEdges.append(experiment.test.count)
            for method in methods where method.runs(onNodes: graph.nodeCount) {
                progress?(seed, method, nil)
                results[method, default: []].append(try experiment.run(method, base: base, search: search) { progress?(seed, method, $0) })
            }
        }
        return RelatedSweep(seeds: seeds, results: results, testEdges: testEdges)
    }

    /// One metric of one method over the seeds; `metric` reads it from an evaluation.
    public func summary(_ method: RelatedMethod, _ metric: (LinkPredictionEvaluation) -> Double?) -> SeedSummary? {
        guard let list = results[method] else { return nil }
        let values = list.compactMap { metric($0.evaluation) }
        return values.count == list.count ? SeedSummary(values) : nil
    }

    /// The method other than `method` (among baselines only, when `baselinesOnly`) with the highest
    /// mean MRR, or nil when there is none.
    public func strongestOther(than method: RelatedMethod, baselinesOnly: Bool = false) -> RelatedMethod? {
        results.keys.filter { $0 != method && (!baselinesOnly || $0.isBaseline) }.max { (summary($0, \.meanReciprocalRank)?.mean ?? 0, $1.rawValue) < (summary($1, \.meanReciprocalRank)?.mean ?? 0, $0.rawValue) }
    }
}
