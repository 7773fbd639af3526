import Foundation
import VaneLinear
import VaneMetrics
import VaneNeural
import VaneTensor

/// Replays a click log through time (SPEC.md section 2): pretrain on the first days, then step hour
/// by hour; at each step every method first predicts the step's clicks (scored later against their
/// true eventual labels) and then trains on exactly what its stream makes observable during the step.
///
/// Nothing is used before its time: a waiting-window sample enters at click + window with the label
/// observed then; a late positive enters at its conversion time; an engagement event counts from its
/// time on; auxiliary models learn from clicks whose outcome had matured by then (before the replay,
/// then every `auxiliaryRefreshHours` from clicks older than the attribution window).
/// O(methods x clicks x nnz).
public struct StreamReplay: Sendable {
    public struct Configuration: Sendable {
        /// Waiting window of the vanilla / oracle / ES-DFM / engagement streams, hours.
        public var windowHours = 1.0
        public var stepHours = 1.0
        /// Attribution window: a conversion later than this after its click does not count.
        public var attributionHours = 14.0 * 24
        /// Share of the log's time span used for pretraining.
        public var pretrainFraction = 0.25
        /// The conversion model trained through the replay.
        public var classifier = ConversionClassifier.logistic
        /// The logistic model (of `.logistic`, and of every auxiliary model).
        public var model = LogisticRegression.Configuration()
        /// The network of `.mlp`; its epochs are the pretraining passes.
        public var network = SparseMLP.Configuration()
        /// Training passes over each step's samples (1 in the papers' protocol). More passes give a
        /// method more optimiser updates from the same observations: with it one can ask whether a
        /// stream ranks better because of its labels or because it simply takes more steps.
        public var passesPerStep = 1
        /// Factor on the weight of every training sample labelled 1 (soft labels are left as they are);
        /// 1 in the papers' protocol. The streams that rank above the oracle all count a conversion more
        /// than once (FNW, ES-DFM's and DEFER's copies); raising this factor on the oracle asks whether
        /// that class re-weighting, rather than fresher or better labels, is what lifts their ranking.
        public var positiveWeight: Float = 1
        /// How often the auxiliary models (f_dp, f_rn, g, the flip model) take a pass over the clicks
        /// matured since their last one, hours; 0 fits them once before the replay and never again.
        public var auxiliaryRefreshHours = 24.0
        /// Which revisions of its soft labels the engagement method makes after the window end.
        public var engagementRevisions = EngagementRevisions.lateCopies
        /// Weight c in [0, 1] of the engagement method's late positive copies (`.lateCopies`); nil
        /// (the default): 1 - f / 2, f the share of conversions after the waiting window in history
        /// matured before the replay (`DelayedFeedbackMethod.lateCopyWeight(lateShare:)`).
        public var lateCopyWeight: Double?
        public init() {
            model.learningRate = 0.02
            model.epochs = 2
            network.epochs = 2
            network.dropoutRate = 0
            network.learningRate = 0.002
        }

        /// Mini-batch size of the trained model.
        var batchSize: Int { classifier == .mlp ? network.batchSize : model.batchSize }

        public func validate() throws(ConversionError) {
            guard windowHours >= 0, windowHours.isFinite else { throw ConversionError(.invalidConfiguration, "window must be >= 0 hours, got \(windowHours)", field: "windowHours") }
            guard stepHours >= 1.0 / 60, stepHours <= 24 * 365 else {
                throw ConversionError(.invalidConfiguration, "step must be from one minute (1/60) to 8760 hours, got \(stepHours)", field: "stepHours")
            }
            guard attributionHours.isFinite, attributionHours > windowHours else { throw ConversionError(.invalidConfiguration, "attribution window must exceed the waiting window", field: "windowHours") }
            guard pretrainFraction > 0, pretrainFraction < 1 else { throw ConversionError(.invalidConfiguration, "pretrain fraction must be in (0, 1)", field: "pretrainFraction") }
            guard (1...10).contains(passesPerStep) else { throw ConversionError(.invalidConfiguration, "passes per step must be in 1...10, got \(passesPerStep)", field: "passesPerStep") }
            guard auxiliaryRefreshHours == 0 || (auxiliaryRefreshHours >= stepHours && auxiliaryRefreshHours <= 24 * 365) else {
                throw ConversionError(.invalidConfiguration, "auxiliary refresh must be 0 (never) or from one step (\(stepHours) h) to 8760 hours, got \(auxiliaryRefreshHours)", field: "auxiliaryRefreshHours")
            }
            if let lateCopyWeight, !(lateCopyWeight >= 0 && lateCopyWeight <= 1) {
                throw ConversionError(.invalidConfiguration, "late copy weight must be in [0, 1], got \(lateCopyWeight)", field: "lateCopyWeight")
            }
            guard positiveWeight > 0, positiveWeight <= 100 else {
                throw ConversionError(.invalidConfiguration, "positive weight must be in (0, 100], got \(positiveWeight)", field: "positiveWeight")
            }
            do { try network.validate() } catch { throw ConversionError(.invalidConfiguration, "network: \(error)", field: "network") }
            guard network.head == .bernoulli else { throw ConversionError(.invalidConfiguration, "the replayed network needs the Bernoulli head", field: "network") }
        }
    }

    /// Size-weighted metrics of one method over all steps, and the relative improvements.
    public struct MethodResult: Sendable {
        public let auc: Double
        public let prAUC: Double
        public let nll: Double
        public var riAUC = 0.0
        public var riPRAUC = 0.0
        public var riNLL = 0.0
    }

    public struct Result: Sendable {
        public let rows: Int
        public let steps: Int
        public var methods: [DelayedFeedbackMethod: MethodResult]
        public let seconds: Double
        /// The engagement method's late-copy weight c (configured, or from the matured late share).
        public var lateCopyWeight: Float = 1
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) throws(ConversionError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// What every method's replay starts from: the pretrained model, the streams, and the auxiliary
    /// models' probabilities for every click.
    public struct Preparation: Sendable {
        let pretrained: any OnlineClassifier
        let streams: ReplayStreams
        let auxiliary: AuxiliaryProbabilities
        /// Where the replay's first step begins (the end of pretraining), hours.
        let replayStart: Double
        /// Seeds the order of each step's samples (the same for every method).
        let shuffleSeed: UInt64
        /// The engagement method's late-copy weight c the streams use.
        public var lateCopyWeight: Float { streams.lateCopyWeight }
    }

    /// Pretrains the model and the auxiliary models and builds the streams: everything a method's
    /// replay starts from, shared by all methods. O(clicks x nnz x epochs).
    public func prepare(_ log: ClickLog, seed: UInt64) throws -> Preparation {
        var local = LocalReplayContext()
        return try prepare(log, seed: seed, shards: &local)
    }

    /// `prepare` for one rank of a sharded job: `shard` is this rank's clicks
    /// (`ClickLog.shard(rank:of:)`). The clock is the job's: the replay starts and ends where the
    /// whole log's clicks do (a minimum and a maximum over ranks), so every rank is at the same step
    /// at the same moment and no rank trains on what another has not reached; pretraining and the
    /// auxiliary models learn from every rank's clicks through job-wide mini-batches. Each rank draws
    /// its shuffles from its own stream of `seed` (rank 0's is the single process's). Collective.
    public func prepare<Shards: ReplayShardContext>(_ shard: ClickLog, seed: UInt64, shards: inout Shards) throws -> Preparation {
        let c = configuration, log = shard
        guard shards.ranks == 1 || c.classifier == .logistic else {
            throw ConversionError(.invalidConfiguration, "a sharded replay trains the logistic model (its gradients are summed over ranks); the MLP replays in one process")
        }
        var extent = [log.clickTimes.min() ?? .infinity, -(log.clickTimes.max() ?? -.infinity)]
        try shards.minimum(&extent)
        var clicks = [Double(log.count)]
        try shards.sum(&clicks)
        let name = shards.ranks == 1 ? log.source : "the job's shards"
        guard clicks[0] >= 100 else { throw ConversionError(.invalidInput, "\(name): need at least 100 clicks, found \(Int(clicks[0]))") }
        let start = extent[0], end = -extent[1]
        guard end - start >= 4 * c.stepHours else { throw ConversionError(.invalidInput, "\(name): the log spans \(end - start) hours, too short to replay") }
        let pretrainEnd = start + c.pretrainFraction * (end - start)
        var generator = SeededGenerator(seed: shards.rank == 0 ? seed : seed ^ (0x5851_F42D_4C95_7F2D &* UInt64(shards.rank)))
        let w = c.windowHours, attribution = c.attributionHours

        // Pretraining: labels as observed at the end of the pretraining period.
        let pretrainRows = (0..<log.count).filter { log.clickTimes[$0] < pretrainEnd }
        var pretrained: any OnlineClassifier = switch c.classifier {
        case .logistic: OnlineLogisticRegression(columnCount: log.features.columnCount, configuration: c.model)
        case .mlp: try OnlineSparseMLP(columnCount: log.features.columnCount, configuration: c.network, seed: generator.next())
        }
        let pretrainLabels = pretrainRows.map { log.conversionTimes[$0] <= pretrainEnd ? Float(1) : 0 }
        for _ in 0..<(c.classifier == .mlp ? c.network.epochs : c.model.epochs) {
            try Self.pass(&pretrained, log.features, rows: pretrainRows, labels: pretrainLabels, batchSize: c.batchSize,
                          using: &generator, shards: &shards)
        }

        // Auxiliary models: first from the pretraining clicks at least `maturity` old (outcomes as known
        // at pretrainEnd, the censored ones labelled by EM in `learn`), then kept learning through it.
        let maturity = min(attribution, (pretrainEnd - start) / 2)
        let matured = pretrainRows.filter { log.clickTimes[$0] + maturity <= pretrainEnd }
        var maturedCount = [Double(matured.count)]
        try shards.sum(&maturedCount)
        guard maturedCount[0] > 0 else { throw ConversionError(.invalidInput, "\(name): no click matured before the replay starts") }
        var models = AuxiliaryModels(log: log, windowHours: w, attributionHours: attribution, configuration: c.model)
        try models.learn(matured, knownAt: pretrainEnd, passes: c.model.epochs, batchSize: c.model.batchSize, using: &generator, shards: &shards)
        var streams = ReplayStreams(log: log, start: pretrainEnd, end: end, stepHours: c.stepHours, windowHours: w, attributionHours: attribution)
        streams.revisions = c.engagementRevisions
        if let weight = c.lateCopyWeight {
            streams.lateCopyWeight = Float(weight)
        } else {
            // The late share among matured conversions seen by the end of pretraining, over every rank.
            var counts = [0.0, 0.0]
            for i in matured where log.conversionTimes[i] <= pretrainEnd && log.converts(i, within: attribution) {
                counts[0] += 1
                if !log.converts(i, within: w) { counts[1] += 1 }
            }
            try shards.sum(&counts)
            streams.lateCopyWeight = DelayedFeedbackMethod.lateCopyWeight(lateShare: counts[0] > 0 ? counts[1] / counts[0] : 0)
        }
        let probabilities = try auxiliaryTimeline(models, streams: streams, start: pretrainEnd, using: &generator, shards: &shards)
        return Preparation(pretrained: pretrained, streams: streams, auxiliary: probabilities, replayStart: pretrainEnd,
                           shuffleSeed: generator.next())
    }

    /// Replays one method from the prepared start: its size-weighted metrics and its final model.
    public func replay(_ method: DelayedFeedbackMethod, _ preparation: Preparation, progress: (Int) -> Void = { _ in }) -> (MethodResult, any OnlineClassifier) {
        var local = LocalReplayContext()
        return replay(method, preparation, shards: &local, progress: progress)
    }

    /// `replay` for one rank of a sharded job (`preparation` from the sharded `prepare`): each step
    /// every rank scores its clicks and trains on its stream's samples in job-wide mini-batches
    /// (`jobBatches`); a step's metrics are computed over every rank's scored clicks, so every rank
    /// returns the job's metrics and the same model. Collective. O(methods x clicks x nnz / ranks).
    public func replay<Shards: ReplayShardContext>(_ method: DelayedFeedbackMethod, _ preparation: Preparation, shards: inout Shards,
                                                   progress: (Int) -> Void = { _ in }) throws(Shards.Failure) -> (MethodResult, any OnlineClassifier) {
        let c = configuration, streams = preparation.streams, log = streams.log
        var model = preparation.pretrained
        var shuffles = SeededGenerator(seed: preparation.shuffleSeed)
        var aucSum = 0.0, prSum = 0.0, nllSum = 0.0, aucWeight = 0.0, nllWeight = 0.0
        for s in 0..<streams.stepCount {
            let scored = streams.clicks[s]
            // The step's predictions and eventual labels over the whole job (rank order), in one
            // exchange: a probability (>= 0) carries its click's label in its sign bit (-0.0 included).
            let signed = try shards.concatenate(scored.map { i -> Double in
                let p = Double(method.servedProbability(model.probability(log.features, row: i)))
                return log.converts(i, within: c.attributionHours) ? -p : p
            })
            let predictions = signed.map(\.magnitude), truth = signed.map { $0.sign == .minus }
            if !predictions.isEmpty {
                let size = Double(predictions.count)
                if let auc = BinaryClassificationMetrics.rocAUC(scores: predictions, labels: truth),
                   let pr = BinaryClassificationMetrics.averagePrecision(scores: predictions, labels: truth) {
                    aucSum += auc * size; prSum += pr * size; aucWeight += size
                }
                nllSum += BinaryClassificationMetrics.logLoss(probabilities: predictions, labels: truth) * size
                nllWeight += size
            }
            let (rows, labels, sampleWeights) = streams.trainingSamples(method, step: s, auxiliary: preparation.auxiliary) {
                model.probability(log.features, row: $0)
            }
            var weights = sampleWeights
            let regular = streams.regularSampleCount(method, step: s)
            if c.positiveWeight != 1 {
                // Samples only: a correction pair must keep its +1 / -1 to cancel.
                for k in 0..<(regular ?? rows.count) where labels[k] == 1 { weights[k] *= c.positiveWeight }
            }
            let batches = try Self.jobBatches(count: rows.count, regular: regular, batchSize: c.batchSize, using: &shuffles, shards: &shards)
            for _ in 0..<c.passesPerStep {
                for batch in batches where batch.jobSamples > 0 {
                    try model.update(features: log.features, rows: batch.indices.map { rows[$0] }, labels: batch.indices.map { labels[$0] },
                                     weights: batch.indices.map { weights[$0] * batch.scale }, jobSamples: batch.jobSamples, shards: &shards)
                }
            }
            progress(s + 1)
        }
        let result = MethodResult(auc: aucWeight > 0 ? aucSum / aucWeight : 0, prAUC: aucWeight > 0 ? prSum / aucWeight : 0,
                                  nll: nllWeight > 0 ? nllSum / nllWeight : 0)
        return (result, model)
    }

    /// Replays every method of `methods` over `log`: their size-weighted metrics and relative
    /// improvements against vanilla and the oracle.
    public func run(_ log: ClickLog, methods: [DelayedFeedbackMethod], seed: UInt64,
                    progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        var local = LocalReplayContext()
        return try run(log, methods: methods, seed: seed, shards: &local, progress: progress)
    }

    /// `run` for one rank of a sharded job over its `shard` of the log; every rank returns the job's
    /// result (`rows`: the job's clicks). Collective.
    public func run<Shards: ReplayShardContext>(_ shard: ClickLog, methods: [DelayedFeedbackMethod], seed: UInt64, shards: inout Shards,
                                                progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let started = Date()
        let preparation = try prepare(shard, seed: seed, shards: &shards)
        let steps = preparation.streams.stepCount
        var results: [DelayedFeedbackMethod: MethodResult] = [:]
        for (methodIndex, method) in methods.enumerated() {
            results[method] = try replay(method, preparation, shards: &shards) { progress?(methodIndex * steps + $0, methods.count * steps) }.0
        }
        var rows = [Double(shard.count)]
        try shards.sum(&rows)
        // Relative improvement: RI-X = (X - vanilla) / (oracle - vanilla); for NLL lower is better.
        if let vanilla = results[.vanilla], let oracle = results[.oracle] {
            for (method, result) in results {
                var updated = result
                func ri(_ x: Double, _ v: Double, _ o: Double) -> Double { abs(o - v) > 1e-12 ? (x - v) / (o - v) : 0 }
                updated.riAUC = ri(result.auc, vanilla.auc, oracle.auc)
                updated.riPRAUC = ri(result.prAUC, vanilla.prAUC, oracle.prAUC)
                updated.riNLL = ri(result.nll, vanilla.nll, oracle.nll)
                results[method] = updated
            }
        }
        return Result(rows: Int(rows[0]), steps: steps, methods: results, seconds: Date().timeIntervalSince(started),
                      lateCopyWeight: preparation.lateCopyWeight)
    }
}
