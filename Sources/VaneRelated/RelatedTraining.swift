import Foundation
import VaneGraph
import VaneTensor

/// The one recipe that fits any `RelatedMethod`, shared by evaluation, `vane graph train`, the demo
/// and the benchmarks: train on `training`, early-stop and tune on `validation`, and return the model
/// over `servingGraph` (the training graph when evaluating, the whole graph when training for serving).
public enum RelatedTraining {
    /// A fitted method and what fitting did.
    public struct Fitted: Sendable {
        public let model: RelatedItemModel
        public let epochs: Int
        public let samplerDescription: String
        /// Settings and outcomes worth keeping with a model file (`model.json` details).
        public let details: [String: String]
        /// Seconds of parts taken from a `RelatedFitCache` (trained earlier, not in this call).
        public var reusedSeconds = 0.0
    }

    /// Fits `method`. `known` holds every edge known while fitting (training plus validation), the
    /// filter of validation rankings. Methods with a blend (`walks`, `hybrid+walks`, `vane`) choose its
    /// settings by `search` on the validation edges. Deterministic for a seed; `progress` gets the GNN's events.
    public static func fit(_ method: RelatedMethod, base: DirectedGNNConfiguration, training: DirectedGraph,
                           validation: [DirectedGraph.Edge], servingGraph: DirectedGraph, seed: UInt64,
                           search: BlendSearch = BlendSearch(), cache: RelatedFitCache? = nil,
                           progress: ((DirectedGNNTrainer.Event) -> Void)? = nil) throws(RelatedError) -> Fitted {
        try search.validate()
        let known = training.withEdges(training.edges + validation)
        // Evaluation passes the training graph itself as the serving graph (same nodes; only the edge
        // count tells them apart), so models over it are built once.
        let servingIsTraining = servingGraph.edgeCount == training.edgeCount
        var details = ["method": method.rawValue, "seed": String(seed)]
        switch method {
        case .popularity:
            return Fitted(model: PopularityBaseline.fit(graph: servingGraph), epochs: 0, samplerDescription: "none", details: details)
        case .springrank:
            let choice = regularisation(training: training, known: known, validation: validation, seed: seed, cache: cache)
            details["springrank_alpha"] = String(choice.alpha)
            if !choice.directionAUCs.isEmpty { details["springrank_alpha_trials"] = choice.summary }
            return Fitted(model: PotentialBaseline.fit(graph: servingGraph, alpha: choice.alpha), epochs: 0, samplerDescription: "none",
                          details: details)
        case .p3:
            let (_, beta) = P3Baseline.fit(graph: training, known: known, validation: validation, seed: seed)
            details["beta"] = String(beta)
            return Fitted(model: P3Baseline.model(graph: servingGraph, beta: beta), epochs: 0, samplerDescription: "none", details: details)
        case .ease:
            let (trainingModel, lambda) = try EASEBaseline.fit(graph: training, known: known, validation: validation, seed: seed)
            details["lambda"] = String(lambda)
            guard let model = servingIsTraining ? trainingModel
                    : EASEBaseline.model(graph: servingGraph, lambda: lambda) else {
                throw RelatedError(.diverged, "ease: the Gram matrix is not positive definite")
            }
            return Fitted(model: model, epochs: 0, samplerDescription: "none", details: details)
        case .lightgcn:
            let (fit, reused) = try lightGCN(training: training, known: known, validation: validation, seed: seed, cache: cache)
            details["best_step"] = String(fit.steps)
            let model = servingIsTraining ? fit.model : LightGCNBaseline().model(freeEmbeddings: fit.freeEmbeddings, graph: servingGraph)
            var fitted = Fitted(model: model, epochs: fit.steps, samplerDescription: "none", details: details)
            fitted.reusedSeconds = reused ? fit.seconds : 0
            return fitted
        case .walks:
            let blend = fitBlend(base: nil, blocks: [], training: training, known: known, validation: validation, seed: seed,
                                 search: search, cache: cache, details: &details)
            return Fitted(model: blend.model(base: nil, graph: servingGraph, method: method.rawValue), epochs: 0,
                          samplerDescription: "none", details: details)
        case .symmetric, .uniform, .blade, .hybrid, .hybridWalks, .vane:
            let configuration = method.configuration(base: base)!
            var reusedSeconds = 0.0
            let (trained, networkReused) = try network(configuration, training: training, validation: validation, seed: seed,
                                                       cache: cache, progress: progress)
            let (network, report) = (trained.network, trained.report)
            details["gnn_seconds"] = String(format: "%.2f", trained.seconds)
            if networkReused { reusedSeconds += trained.seconds }
            details["structure"] = configuration.structure.rawValue
            details["dimension"] = String(configuration.dimension)
            details["layers"] = String(configuration.layers)
            details["sampler"] = report.samplerDescription
            details["best_epoch"] = String(report.bestEpoch)
            details["epoch_cap"] = String(report.epochCap)
            if report.bestEpoch > 0 { details["validation_mrr"] = String(format: "%.5f", report.epochs[report.bestEpoch - 1].validationMRR) }
            var model = network.relatedItemModel(graph: servingGraph, method: method.rawValue, seed: seed)
            if method.blendsWalks {
                // The blend is fitted on the training graph's embeddings (what validation edges were not
                // trained on), then applied to the serving graph's.
                let trainingModel = servingIsTraining ? model : network.relatedItemModel(graph: training, method: method.rawValue, seed: seed)
                let blended = try blend(method, gnn: (trainingModel, model), configuration: configuration, training: training, known: known,
                                        validation: validation, servingGraph: servingGraph, seed: seed, search: search, cache: cache)
                model = blended.model
                details.merge(blended.details) { $1 }
                reusedSeconds += blended.reusedSeconds
            }
            var fitted = Fitted(model: model, epochs: report.epochs.count, samplerDescription: report.samplerDescription, details: details)
            fitted.reusedSeconds = reusedSeconds
            return fitted
        }
    }

    /// The GNN part of a blending method (`walks` aside: `hybrid+walks`, `vane`) joined with the rest:
    /// `gnn` is the trained GNN's model over `training` (what the blend is fitted on: the validation
    /// edges were not trained on) and over `servingGraph` (what the blend is applied to; the same
    /// model when the two graphs are one). `vane` adds LightGCN trained here on `training` as a third
    /// block; the blend's settings are chosen by `search` and its direction anchor out of fold, as in
    /// `fit`. This is how a GNN trained elsewhere (over the ranks of `vane-mpi train`) becomes the
    /// same method one process fits. Returns the blended model over `servingGraph` (named `method`),
    /// the details `fit` reports for these steps, and the seconds of parts taken from `cache`.
    public static func blend(_ method: RelatedMethod, gnn: (training: RelatedItemModel, serving: RelatedItemModel),
                             configuration: DirectedGNNConfiguration, training: DirectedGraph, validation: [DirectedGraph.Edge],
                             servingGraph: DirectedGraph, seed: UInt64, search: BlendSearch = BlendSearch(),
                             cache: RelatedFitCache? = nil) throws(RelatedError)
        -> (model: RelatedItemModel, details: [String: String], reusedSeconds: Double) {
        guard method.blendsWalks, method.configuration(base: configuration) != nil else {
            throw RelatedError(.invalidRequest, "\(method.rawValue) has no GNN part to blend")
        }
        try search.validate()
        return try blend(method, gnn: gnn, configuration: configuration, training: training, known: training.withEdges(training.edges + validation),
                         validation: validation, servingGraph: servingGraph, seed: seed, search: search, cache: cache)
    }

    /// `blend` with `known` (training plus validation edges) already built, as `fit` has it.
    static func blend(_ method: RelatedMethod, gnn: (training: RelatedItemModel, serving: RelatedItemModel),
                      configuration: DirectedGNNConfiguration, training: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge],
                      servingGraph: DirectedGraph, seed: UInt64, search: BlendSearch, cache: RelatedFitCache?) throws(RelatedError)
        -> (model: RelatedItemModel, details: [String: String], reusedSeconds: Double) {
        let servingIsTraining = servingGraph.edgeCount == training.edgeCount
        var details: [String: String] = [:], reusedSeconds = 0.0
        var trainingModel = gnn.training, model = gnn.serving
        let half = configuration.dimension / 2
        var blocks = configuration.structure == .hybrid ? [0..<half, half..<configuration.dimension] : [0..<configuration.dimension]
        if method.blendsLightGCN {
            // A third embedding block: LightGCN over the undirected graph, trained on the same edges.
            let lightgcn = LightGCNBaseline()
            let (fit, lightGCNReused) = try lightGCN(training: training, known: known, validation: validation, seed: seed, cache: cache)
            let (trainingLightGCN, free) = (fit.model, fit.freeEmbeddings)
            details["lightgcn_best_step"] = String(fit.steps)
            details["lightgcn_seconds"] = String(format: "%.2f", fit.seconds)
            if lightGCNReused { reusedSeconds += fit.seconds }
            func joined(_ a: RelatedItemModel, _ b: RelatedItemModel) -> RelatedItemModel {
                RelatedItemModel(method: a.method, graph: a.graph, sourceEmbeddings: ColumnConcat.forward(a.sourceEmbeddings, b.sourceEmbeddings),
                                 targetEmbeddings: ColumnConcat.forward(a.targetEmbeddings, b.targetEmbeddings))
            }
            trainingModel = joined(trainingModel, trainingLightGCN)
            model = joined(model, servingIsTraining ? trainingLightGCN : lightgcn.model(freeEmbeddings: free, graph: servingGraph))
            blocks.append(configuration.dimension..<(configuration.dimension + lightgcn.dimension))
        }
        let blendStarted = Date()
        let blend = fitBlend(base: trainingModel, blocks: blocks, training: training, known: known, validation: validation,
                             seed: seed, search: search, cache: cache, details: &details)
        model = blend.model(base: model, graph: servingGraph, method: method.rawValue)
        details["blend_seconds"] = String(format: "%.2f", Date().timeIntervalSince(blendStarted))
        return (model, details, reusedSeconds)
    }

    /// The GNN network of `configuration` trained on `training`, from `cache` when it holds one
    /// (then `reused` is true); a fresh one is stored there.
    static func network(_ configuration: DirectedGNNConfiguration, training: DirectedGraph, validation: [DirectedGraph.Edge],
                        seed: UInt64, cache: RelatedFitCache?,
                        progress: ((DirectedGNNTrainer.Event) -> Void)?) throws(RelatedError) -> (RelatedFitCache.Network, reused: Bool) {
        if let cached = cache?.network(for: configuration) { return (cached, true) }
        let started = Date()
        let (network, report) = try DirectedGNNTrainer(configuration: configuration).fit(graph: training, validation: validation,
                                                                                         seed: seed, progress: progress)
        let trained = RelatedFitCache.Network(network: network, report: report, seconds: Date().timeIntervalSince(started))
        cache?.store(trained, for: configuration)
        return (trained, false)
    }

    /// LightGCN trained on `training` (its model over `training`), from `cache` when it holds one.
    static func lightGCN(training: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64,
                         cache: RelatedFitCache?) throws(RelatedError) -> (RelatedFitCache.LightGCN, reused: Bool) {
        if let cached = cache?.lightGCN { return (cached, true) }
        let started = Date()
        let (model, steps, free) = try LightGCNBaseline().fit(graph: training, known: known, validation: validation,
                                                             servingGraph: training, seed: seed)
        let fit = RelatedFitCache.LightGCN(model: model, steps: steps, freeEmbeddings: free, seconds: Date().timeIntervalSince(started))
        cache?.store(fit)
        return (fit, false)
    }

    /// SpringRank's alpha chosen on `validation` (`NodePotential.chooseRegularisation`), from `cache`
    /// when it holds one; a fresh choice is stored there.
    static func regularisation(training: DirectedGraph, known: DirectedGraph, validation: [DirectedGraph.Edge], seed: UInt64,
                               cache: RelatedFitCache?) -> NodePotential.RegularisationChoice {
        if let cached = cache?.regularisation { return cached }
        let choice = NodePotential.chooseRegularisation(graph: training, known: known, validation: validation, seed: seed)
        cache?.store(choice)
        return choice
    }

    /// The blend of `base` (nil: walks and degrees only) with the setting `search` chooses, fitted on
    /// all of `validation`, with the `DirectionAnchor` chosen out of fold on `validation`; the search's
    /// trials, the anchor's and the weights go into `details`. `tune_seconds` includes SpringRank's
    /// alpha choice unless `cache` already held it.
    static func fitBlend(base: RelatedItemModel?, blocks: [Range<Int>], training: DirectedGraph, known: DirectedGraph,
                         validation: [DirectedGraph.Edge], seed: UInt64, search: BlendSearch, cache: RelatedFitCache?,
                         details: inout [String: String]) -> NeighbourhoodBlend {
        let started = Date()
        // SpringRank's alpha for the potential features and the anchor, chosen on the validation edges.
        let regularisation = regularisation(training: training, known: known, validation: validation, seed: seed, cache: cache)
        if !regularisation.directionAUCs.isEmpty { details["blend_potential_alpha_trials"] = regularisation.summary }
        let (setting, trials) = search.search(base: base, embeddingBlocks: blocks, graph: training, known: known,
                                              validation: validation, seed: seed, potentialRegularisation: regularisation.alpha)
        details["tune_budget"] = String(search.budget)
        details["tune_chosen"] = setting.description
        if !trials.isEmpty {
            details["tune_trials"] = trials.map(\.summary).joined(separator: "; ")
            details["tune_seconds"] = String(format: "%.2f", Date().timeIntervalSince(started))
        }
        var fitter = setting.fitter
        fitter.potentialRegularisation = regularisation.alpha
        // The search may find the embeddings add nothing: then the blend is the walks blend.
        if base != nil { details["blend_uses_embeddings"] = String(setting.usesEmbeddings) }
        let (base, blocks) = setting.usesEmbeddings ? (base, blocks) : (nil, [])
        let (fitted, _) = fitter.fit(base: base, embeddingBlocks: blocks, graph: training, known: known,
                                     validation: validation, seed: seed)
        // The direction anchor: how much of the SpringRank order to add to the blend's own direction
        // (rank-preserving), chosen out of fold on the validation edges.
        let (blend, choice, alpha) = DirectionAnchor().anchored(fitted, fitter: fitter, base: base, embeddingBlocks: blocks,
                                                                graph: training, known: known, validation: validation, seed: seed)
        details.merge(blend.details) { $1 }
        details["direction_anchor_multiple"] = String(choice.multiple)
        details["direction_anchor_alpha"] = String(format: "%.4f", alpha)
        if !choice.trials.isEmpty {
            details["direction_anchor_trials"] = choice.trials.map { String(format: "%g: %.4f", $0.multiple, $0.directionAUC) }.joined(separator: "; ")
                + " (\(choice.pairs) one-way held-out edges)"
        }
        return blend
    }

    /// Train for serving: hold out a seeded `validationFraction` of the edges to early-stop and tune
    /// on, then return the model over the whole graph (what `vane graph train` and the demo save).
    public static func fitForServing(_ method: RelatedMethod, base: DirectedGNNConfiguration, graph: DirectedGraph,
                                     validationFraction: Double = 0.05, seed: UInt64, search: BlendSearch = BlendSearch(),
                                     progress: ((DirectedGNNTrainer.Event) -> Void)? = nil) throws(RelatedError) -> Fitted {
        var generator = SeededGenerator(seed: seed)
        let split: EdgeSplit
        do { split = try EdgeSplit(graph: graph, validationFraction: validationFraction, testFraction: 0, using: &generator) } catch {
            throw RelatedError(.invalidRequest, error.message)
        }
        return try fit(method, base: base, training: graph.withEdges(split.training), validation: split.validation,
                       servingGraph: graph, seed: seed, search: search, progress: progress)
    }
}
