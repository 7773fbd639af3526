import VaneGraph

/// Everything that defines a directed GNN and how it is trained. Defaults are the measured-good
/// settings of `docs/results/related.md`; `validate()` names the first bad field.
public struct DirectedGNNConfiguration: Sendable, Equatable {
    /// How a node's representations are built and scored.
    public enum Structure: String, Sendable, CaseIterable {
        /// One embedding per node over the undirected graph (GraphSAGE); score h_u . h_v is symmetric.
        case symmetric
        /// Source and target embeddings (DiGAE/BLADE): s_u aggregates out-neighbours' t, t_v aggregates
        /// in-neighbours' s; score s_u . t_v.
        case dual
        /// Both: a symmetric part for proximity plus a dual part for direction;
        /// score h_u . h_v + s_u . t_v, each part with half the dimensions.
        case hybrid
    }

    /// How neighbourhoods are sampled during training and inference.
    public enum Sampling: Sendable, Equatable {
        /// GraphSAGE: up to `fanOut` uniform 1-hop neighbours.
        case uniform(fanOut: Int)
        /// BLADE-style: budget falls with degree, 2-hop fill; exponent fitted from the graph when
        /// `fitToGraph` is true.
        case degreeBiased(DegreeBiasedSampler.Configuration, fitToGraph: Bool)
    }

    public var structure: Structure = .hybrid
    public var sampling: Sampling = .degreeBiased(.init(), fitToGraph: true)
    /// Fan-out of the uniform sampler used by the `symmetric` and `uniform` method presets.
    public var uniformFanOut: Int = 10
    /// Total embedding width of a node's source (or target) representation.
    public var dimension: Int = 64
    /// Message-passing layers (0 = free embeddings only, a matrix-factorisation model).
    public var layers: Int = 2
    /// Uniform random negatives per positive edge.
    public var negativesPerPositive: Int = 4
    /// Loss weights of the three terms: positives, uniform negatives (shared by all of an edge's
    /// negatives), and the reversed one-way edge as a hard negative.
    public var positiveWeight: Float = 1
    public var negativeWeight: Float = 1
    public var reverseWeight: Float = 0.5
    public var learningRate: Float = 0.01
    /// Decoupled weight decay on the dense layer weights.
    public var weightDecay: Float = 0
    /// Positive edges per mini-batch; nil picks `automaticBatchSize(trainingEdges:)`.
    public var batchSize: Int? = nil
    public var maximumEpochs: Int = 30
    /// Edges all epochs together may visit (epochs x training edges); nil: `maximumEpochs` alone.
    /// Past 204,800 training edges a batch stays at 4,096 edges (`automaticBatchSize`), so optimiser
    /// steps per epoch grow with the graph and a fixed epoch count would make training time grow
    /// with it too; the budget keeps the steps near budget / 4,096 (about 2,400 at the default)
    /// whatever the size. 10M leaves 30 epochs up to 333,333 training edges: every graph of
    /// docs/results/related.md trains as before; a 3M-edge graph gets `minimumBudgetedEpochs`.
    public var edgeVisitBudget: Int? = 10_000_000
    /// Epochs the budget never cuts below.
    public static let minimumBudgetedEpochs = 3
    /// Stop after this many epochs without a better validation MRR.
    public var patience: Int = 4
    /// Validation edges ranked per epoch for early stopping (a seeded sample when there are more).
    public var validationQueries: Int = 1000

    public init() {}

    /// About 50 batches an epoch, between 512 and 4096 edges: on large graphs every batch's sampled
    /// neighbourhood already covers most nodes, so bigger batches cost little more and need far fewer
    /// optimiser sweeps over the embedding tables (Debian graph: 13 s/epoch at 4096 vs 29 s at 512,
    /// and a better validation MRR, 0.201 vs 0.154).
    public static func automaticBatchSize(trainingEdges: Int) -> Int {
        min(4096, max(512, trainingEdges / 50))
    }

    /// Epochs training on `trainingEdges` edges may run: `maximumEpochs`, lowered so all epochs
    /// together visit at most `edgeVisitBudget` edges, but not below `minimumBudgetedEpochs`
    /// (nor above `maximumEpochs`). O(1).
    public func epochCap(trainingEdges: Int) -> Int {
        guard let edgeVisitBudget, trainingEdges > 0 else { return maximumEpochs }
        return min(maximumEpochs, max(Self.minimumBudgetedEpochs, edgeVisitBudget / trainingEdges))
    }

    /// Sets the epoch cap itself, whatever the graph's size: `maximumEpochs = epochs` and no
    /// edge-visit budget (what `--epochs N` means on `vane` and `vane-mpi`).
    public mutating func setEpochCap(_ epochs: Int) {
        maximumEpochs = epochs
        edgeVisitBudget = nil
    }

    /// The batch size training uses: `batchSize` when set, else the automatic one.
    func effectiveBatchSize(trainingEdges: Int) -> Int {
        batchSize ?? Self.automaticBatchSize(trainingEdges: trainingEdges)
    }

    public func validate() throws(RelatedError) {
        // Messages start with the field's name; `field` carries it for callers that name it otherwise.
        func fail(_ field: String, _ message: String) -> RelatedError { RelatedError(.invalidConfiguration, "\(field) \(message)", field: field) }
        guard dimension >= 2, dimension <= 4096 else { throw fail("dimension", "must be in 2...4096, got \(dimension)") }
        guard structure != .hybrid || dimension % 2 == 0 else { throw fail("dimension", "must be even for the hybrid structure, got \(dimension)") }
        guard (0...6).contains(layers) else { throw fail("layers", "must be in 0...6, got \(layers)") }
        guard negativesPerPositive >= 0, negativesPerPositive <= 1000 else { throw fail("negativesPerPositive", "must be in 0...1000, got \(negativesPerPositive)") }
        for (name, weight) in [("positiveWeight", positiveWeight), ("negativeWeight", negativeWeight), ("reverseWeight", reverseWeight)] {
            guard weight >= 0, weight.isFinite else { throw fail(name, "must be finite and >= 0, got \(weight)") }
        }
        guard learningRate > 0, learningRate.isFinite, learningRate <= 10 else { throw fail("learningRate", "must be in (0, 10], got \(learningRate)") }
        guard weightDecay >= 0, weightDecay < 1 else { throw fail("weightDecay", "must be in [0, 1), got \(weightDecay)") }
        guard uniformFanOut >= 1, uniformFanOut <= 10_000 else { throw fail("uniformFanOut", "must be in 1...10000, got \(uniformFanOut)") }
        if let batchSize { guard batchSize >= 1, batchSize <= 1 << 24 else { throw fail("batchSize", "must be in 1...16777216, got \(batchSize)") } }
        guard maximumEpochs >= 1, maximumEpochs <= 100_000 else { throw fail("maximumEpochs", "must be in 1...100000, got \(maximumEpochs)") }
        if let edgeVisitBudget { guard edgeVisitBudget >= 1 else { throw fail("edgeVisitBudget", "must be positive, got \(edgeVisitBudget)") } }
        guard patience >= 1 else { throw fail("patience", "must be positive, got \(patience)") }
        guard validationQueries >= 1 else { throw fail("validationQueries", "must be positive, got \(validationQueries)") }
        switch sampling {
        case .uniform(let fanOut):
            guard fanOut >= 1, fanOut <= 10_000 else { throw fail("uniformFanOut", "must be in 1...10000, got \(fanOut)") }
        case .degreeBiased(let configuration, _):
            do { try configuration.validate() } catch {
                let field = error.message.split(separator: " ").first.map(String.init) ?? "sampling"
                throw RelatedError(.invalidConfiguration, error.message, field: field)
            }
        }
    }
}
