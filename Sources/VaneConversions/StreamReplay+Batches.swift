import VaneTensor

extension StreamReplay {
    /// One optimiser step's samples: indices into a step's samples and a factor on their weights.
    struct Batch: Sendable, Equatable {
        var indices: [Int]
        var scale: Float
        /// Samples of the whole job's batch (this rank's and every other rank's part); the update's
        /// mean runs over them.
        var jobSamples: Int
    }

    /// Splits a step's `count` samples into mini-batches in a seeded random order. Plain streams:
    /// ceil(count / batchSize) batches of the shuffled samples, their sizes differing by at most one,
    /// factor 1. Equal sizes matter: Adam's step does not shrink with the batch, so a step cut into
    /// runs of the batch size ended most hours on a small remainder (3 samples after 256, say) that
    /// moved the model as far as a full batch on a few clicks' noise; with equal batches every method
    /// gained 0.002-0.007 AUC and FNC 0.016 NLL on a 300,000-click log (docs/results/conversions.md).
    /// The shuffle matters: streams list a
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
        var local = LocalReplayContext()
        return jobBatches(count: count, regular: regular, batchSize: batchSize, using: &generator, shards: &local)
    }

    /// `batches` of a sharded job, taking the steps one process would take on the job's samples:
    /// as many batches as one process cuts from all ranks' N samples (ceil(N / batchSize)); each
    /// rank cuts its own shuffled samples into that many parts of equal size (within one), so the
    /// job's batch b (every rank's part b) holds N / batches samples within the number of ranks;
    /// correction pairs are dealt onto the parts; the factor and the mean use the job's counts. With
    /// one rank this is exactly `batches`. Two collectives. O(count).
    static func jobBatches<Shards: ReplayShardContext>(count: Int, regular: Int?, batchSize: Int, using generator: inout SeededGenerator,
                                                       shards: inout Shards) throws(Shards.Failure) -> [Batch] {
        let samples = min(regular ?? count, count)
        var order = Array(0..<samples)
        order.seededShuffle(using: &generator)
        var job = [Double(samples), Double(count - samples)]
        try shards.sum(&job)
        let jobRegular = Int(job[0]), jobPairs = Int(job[1])
        let batchCount = jobRegular > 0 ? (jobRegular + batchSize - 1) / batchSize : (jobPairs > 0 ? 1 : 0)
        guard batchCount > 0 else { return [] }
        var parts = (0..<batchCount).map { b in Array(order[(samples * b / batchCount)..<(samples * (b + 1) / batchCount)]) }
        if samples < count {
            var pairs = Array(stride(from: samples, to: count - 1, by: 2))
            pairs.seededShuffle(using: &generator)
            // Onto this rank's non-empty parts, as one process deals them onto its batches.
            let filled = max(1, parts.lastIndex { !$0.isEmpty }.map { $0 + 1 } ?? 1)
            for (k, first) in pairs.enumerated() { parts[k % filled] += [first, first + 1] }
        }
        // Per job batch: its samples and its regular ones (the rest are halves of correction pairs).
        var totals = [Double](repeating: 0, count: 2 * batchCount)
        for (b, part) in parts.enumerated() {
            totals[2 * b] = Double(part.count)
            totals[2 * b + 1] = Double(part.lazy.filter { $0 < samples }.count)
        }
        try shards.sum(&totals)
        return (0..<batchCount).map { b in
            let total = Int(totals[2 * b]), regularCount = Int(totals[2 * b + 1])
            // Plain batches: total / total = 1 exactly.
            let normaliser = max(regularCount, (total - regularCount) / 2, 1)
            return Batch(indices: parts[b], scale: Float(total) / Float(normaliser), jobSamples: total)
        }
    }

    /// One shuffled pass of job-wide mini-batch updates of `model` over `rows` of `features` (this
    /// rank's part), weight 1 each. O(rows x nnz).
    static func pass<Model: OnlineClassifier, Shards: ReplayShardContext>(
        _ model: inout Model, _ features: SparseRowMatrix, rows: [Int], labels: [Float], batchSize: Int,
        using generator: inout SeededGenerator, shards: inout Shards
    ) throws(Shards.Failure) {
        for batch in try jobBatches(count: rows.count, regular: nil, batchSize: batchSize, using: &generator, shards: &shards)
        where batch.jobSamples > 0 {
            try model.update(features: features, rows: batch.indices.map { rows[$0] }, labels: batch.indices.map { labels[$0] },
                             weights: Array(repeating: 1, count: batch.indices.count), jobSamples: batch.jobSamples, shards: &shards)
        }
    }
}
