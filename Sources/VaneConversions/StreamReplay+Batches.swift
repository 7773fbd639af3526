import VaneTensor

extension StreamReplay {
    /// One optimiser step's samples: indices into a step's samples and a factor on their weights.
    struct Batch: Sendable, Equatable {
        var indices: [Int]
        var scale: Float
    }

    /// Splits a step's `count` samples into mini-batches in a seeded random order. Plain streams:
    /// runs of `batchSize` of the shuffled samples, factor 1. The shuffle matters: streams list a
    /// step's samples by kind (FNW its negatives, then its positives; ES-DFM its late positives last),
    /// and an adaptive optimiser taking one step per batch drifts towards the composition of the
    /// last batches before the next step's clicks are scored (FNW served 0.44 for a 0.23 rate). When only the first `regular` are samples and the rest are correction
    /// pairs (the engagement method's revisions, +1 and -1 weight for one row), the samples are cut
    /// as usual and the pairs dealt round-robin onto those batches, each pair kept whole (its
    /// gradient does not depend on the prediction only when both halves meet in one update), with
    /// weights scaled by batch size / samples in it: the update's mean then runs over samples, so a
    /// stream with corrections takes as many optimiser steps of the same scale as one without (more
    /// steps from bookkeeping alone would act as a larger learning rate). O(count).
    static func batches(count: Int, regular: Int?, batchSize: Int, using generator: inout SeededGenerator) -> [Batch] {
        let samples = min(regular ?? count, count)
        var order = Array(0..<samples)
        order.seededShuffle(using: &generator)
        var batches = stride(from: 0, to: samples, by: batchSize).map { Batch(indices: Array(order[$0..<min(samples, $0 + batchSize)]), scale: 1) }
        guard samples < count else { return batches }
        if batches.isEmpty { batches.append(Batch(indices: [], scale: 1)) }
        var pairs = Array(stride(from: samples, to: count - 1, by: 2))
        pairs.seededShuffle(using: &generator)
        for (k, first) in pairs.enumerated() {
            batches[k % batches.count].indices += [first, first + 1]
        }
        for b in batches.indices {
            let regularCount = batches[b].indices.lazy.filter { $0 < samples }.count
            let normaliser = max(regularCount, (batches[b].indices.count - regularCount) / 2, 1)
            batches[b].scale = Float(batches[b].indices.count) / Float(normaliser)
        }
        return batches
    }
}
