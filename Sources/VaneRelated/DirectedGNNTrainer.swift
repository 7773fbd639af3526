import Foundation
import VaneGraph
import VaneMetrics
import VaneTensor

/// Trains a `DirectedGNN` by mini-batch gradient descent on sampled neighbourhoods, with early
/// stopping on validation MRR.
///
/// Loss per batch (SPEC.md section 1), normalised by the number of positive edges B:
///   L = (1/B) sum_{u->v} [ w+ BCE(s(u,v), 1) + (w- / K) sum_{k<K} BCE(s(u,v'_k), 0)
///                          + w_rev [v->u not an edge] BCE(s(v,u), 0) ]
/// with v'_k uniform random items and BCE on logits. The reversed one-way edge is the hard negative
/// that teaches direction. Embedding tables take sparse (lazy) Adam steps on touched rows only;
/// layer weights take dense Adam steps.
public struct DirectedGNNTrainer: Sendable {
    /// What the trainer reports while it works.
    public enum Event: Sendable {
        case batch(epoch: Int, batch: Int, batches: Int, loss: Double)
        case epoch(epoch: Int, loss: Double, validationMRR: Double, improved: Bool)
    }

    /// What training did, for logs and model files.
    public struct Report: Sendable {
        public var epochs: [(loss: Double, validationMRR: Double)] = []
        public var bestEpoch = 0
        public var seconds = 0.0
        public var trainingEdges = 0
        public var batchSize = 0
        /// Epochs training could run (`DirectedGNNConfiguration.epochCap(trainingEdges:)`).
        public var epochCap = 0
        /// Sampler settings after fitting to the graph (the budget exponent, reference degree).
        public var samplerDescription = ""
    }

    public let configuration: DirectedGNNConfiguration

    public init(configuration: DirectedGNNConfiguration) throws(RelatedError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The sampler the configuration describes, fitted to `graph` where asked.
    public func makeSampler(for graph: DirectedGraph) throws(RelatedError) -> (sampler: any NeighbourSampler, description: String) {
        switch configuration.sampling {
        case .uniform(let fanOut):
            return (UniformSampler(fanOut: fanOut), "uniform fan-out \(fanOut)")
        case .degreeBiased(let settings, let fitToGraph):
            let fitted = fitToGraph ? settings.fitted(to: graph) : settings
            do {
                let sampler = try DegreeBiasedSampler(configuration: fitted)
                let description = String(format: "degree-biased k(d) = clamp(round(%.1f * (%.1f / (d + 1))^%.2f), %d, %d), 2-hop fill %@",
                                          fitted.baseFanOut, fitted.referenceDegree, fitted.exponent,
                                          fitted.minimumFanOut, fitted.maximumFanOut, fitted.twoHopFill ? "on" : "off")
                return (sampler, description)
            } catch {
                throw RelatedError(.invalidConfiguration, error.message)
            }
        }
    }

    /// Fits on `graph` (the training edges), stopping early on MRR over `validation` edges ranked
    /// against all items except known ones (`graph` plus `validation`). Deterministic for a seed.
    public func fit(graph: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64,
                    progress: ((Event) -> Void)? = nil) throws(RelatedError) -> (model: DirectedGNN, report: Report) {
        guard graph.edgeCount > 0 else { throw RelatedError(.invalidRequest, "cannot train on a graph without edges") }
        let started = Date()
        var generator = SeededGenerator(seed: seed)
        let (sampler, samplerDescription) = try makeSampler(for: graph)
        var model = DirectedGNN(configuration: configuration, nodeCount: graph.nodeCount, sampler: sampler, generator: &generator)
        let c = configuration
        var optimiser = TrainingStep(model: model, configuration: c)

        let views = GraphViews(graph, kinds: model.kinds)
        var edges = graph.edges
        var scratch = [Int32](repeating: -1, count: graph.nodeCount)
        let ranking = ValidationRanking(graph: graph, validation: validation, configuration: c, seed: seed)
        var stopping = EarlyStopping<DirectedGNN>(patience: c.patience, hasQueries: !ranking.queries.isEmpty)

        var report = Report()
        report.trainingEdges = graph.edgeCount
        report.samplerDescription = samplerDescription
        let batchSize = c.effectiveBatchSize(trainingEdges: edges.count)
        report.batchSize = batchSize
        let batches = (edges.count + batchSize - 1) / batchSize
        report.epochCap = c.epochCap(trainingEdges: edges.count)
        for epoch in 1...report.epochCap {
            edges.seededShuffle(using: &generator)
            var epochLoss = 0.0
            for batch in 0..<batches {
                let positives = edges[(batch * batchSize)..<min(edges.count, (batch + 1) * batchSize)]
                let sampled = TrainingBatch(positives: positives, graph: graph, views: views, kinds: model.kinds, configuration: c,
                                            sampler: sampler, generator: &generator, scratch: &scratch)
                let loss = optimiser.step(&model, on: sampled)
                guard loss.isFinite else {
                    throw RelatedError(.diverged, "training diverged (loss \(loss)) in epoch \(epoch); lower the learning rate (now \(c.learningRate))")
                }
                epochLoss += loss
                progress?(.batch(epoch: epoch, batch: batch + 1, batches: batches, loss: loss))
            }
            epochLoss /= Double(batches)
            let mrr = ranking.meanReciprocalRank(of: model, graph: graph, seed: seed)
            if stopping.record(epoch: epoch, loss: epochLoss, mrr: mrr, snapshot: { model }, report: &report, progress: progress) { break }
        }
        report.seconds = Date().timeIntervalSince(started)
        return (stopping.best?.snapshot ?? model, report)
    }
}
