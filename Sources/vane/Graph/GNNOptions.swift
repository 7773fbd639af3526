import ArgumentParser
import VaneGraph
import VaneRelated

/// Model and training options shared by `vane graph train` and `vane graph evaluate`.
struct GNNOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Embedding width of a node's source (and target) representation.")
    var dimension = 64

    @Option(parsing: .unconditional, help: "Message-passing layers (0 = free embeddings only).")
    var layers = 2

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Maximum training epochs (early stopping on validation MRR usually ends sooner).",
        discussion: "Default: 30, fewer on graphs of over 333,333 training edges, so that all epochs together visit at most 10M edges (never fewer than 3 epochs): training time stays bounded as the graph grows. A number given here is the cap, whatever the graph's size."))
    var epochs: Int?

    @Option(parsing: .unconditional, help: "Epochs without validation improvement before stopping.")
    var patience = 4

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Positive edges per mini-batch (default: about 50 batches an epoch, 512...4096).")
    var batchSize: Int?

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Adam learning rate.")
    var learningRate: Float = 0.01

    @Option(parsing: .unconditional, help: "Uniform random negatives per positive edge.")
    var negatives = 4

    @Option(name: .customLong("reverse-weight"), parsing: .unconditional, help: "Loss weight of the reversed one-way edge as a hard negative (teaches direction).")
    var reverseWeight: Float = 0.5

    @Option(name: .customLong("fan-out"), parsing: .unconditional, help: "Fan-out of the uniform sampler (methods symmetric and uniform, or --sampler uniform).")
    var fanOut = 10

    @Option(name: .customLong("degree-exponent"), parsing: .unconditional, help: "Exponent of the degree-biased budget; default: fitted from the graph's power law.")
    var degreeExponent: Double?

    @Flag(name: .customLong("no-two-hop"), help: "Disable the 2-hop fill of low-degree nodes' budgets.")
    var noTwoHop = false

    /// The base configuration these options describe (a method preset may change structure/sampling).
    func configuration() throws -> DirectedGNNConfiguration {
        var configuration = DirectedGNNConfiguration()
        configuration.dimension = dimension
        configuration.layers = layers
        if let epochs { configuration.setEpochCap(epochs) }
        configuration.patience = patience
        configuration.batchSize = batchSize
        configuration.learningRate = learningRate
        configuration.negativesPerPositive = negatives
        configuration.reverseWeight = reverseWeight
        var degreeBiased = DegreeBiasedSampler.Configuration()
        degreeBiased.twoHopFill = !noTwoHop
        if let degreeExponent { degreeBiased.exponent = degreeExponent }
        configuration.sampling = .degreeBiased(degreeBiased, fitToGraph: degreeExponent == nil)
        configuration.uniformFanOut = fanOut
        do {
            try configuration.validate()
        } catch {
            // Name the flag the user typed, not the configuration field behind it.
            let flags = ["dimension": "--dimension", "layers": "--layers", "maximumEpochs": "--epochs", "patience": "--patience",
                         "batchSize": "--batch-size", "learningRate": "--learning-rate", "negativesPerPositive": "--negatives",
                         "reverseWeight": "--reverse-weight", "uniformFanOut": "--fan-out", "exponent": "--degree-exponent"]
            guard let field = error.field, let flag = flags[field] else { throw error }
            throw ValidationError("\(flag) \(error.message.dropFirst(field.count).drop(while: { $0 == " " }))")
        }
        return configuration
    }
}
