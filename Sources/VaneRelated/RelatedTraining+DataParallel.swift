import Foundation
import VaneGraph

extension RelatedTraining {
    /// The `vane` method's LightGCN block trained over the ranks of `context`
    /// (`LightGCNBaseline.fitDataParallel` on `training`, early-stopped on `validation` ranked against
    /// training plus validation edges), held on rank 0 in a fresh cache to hand to `blend` (which then
    /// uses it instead of training LightGCN in one process); an empty cache on the other ranks.
    /// Collective.
    public static func lightGCNOverRanks(training: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64,
                                         context: inout some DataParallelContext) throws -> RelatedFitCache {
        let cache = RelatedFitCache(), started = Date()
        if let fit = try LightGCNBaseline().fitDataParallel(graph: training, validation: validation, seed: seed, context: &context) {
            cache.store(RelatedFitCache.LightGCN(model: fit.model, steps: fit.steps, freeEmbeddings: fit.freeEmbeddings,
                                                 seconds: Date().timeIntervalSince(started)))
        }
        return cache
    }
}
