import ArgumentParser
import VanePartition
import VaneRelated

/// The options `vane-mpi train` and `vane-mpi evaluate` share: the graph, its partition over the
/// ranks, the seed, and the GNN's epochs and width (the rest as `vane graph train`'s default GNN).
struct GNNJobOptions: ParsableArguments {
    @Option(help: "Edge list (source<TAB>target per line; gzip is detected).")
    var edges: String

    @Option(help: "Partition of the training graph: metis or hash.")
    var method = GraphPartition.Method.metis

    @Option(help: "Seed of the split, the partition, the rows, the weights and every draw.")
    var seed: UInt64 = 1

    @Option(help: "Most epochs (default: 30, fewer past 333,333 training edges so all epochs visit at most 10M edges, at least 3; a number given is the cap).")
    var epochs: Int?

    @Option(help: "Epochs without a better validation MRR before stopping.")
    var patience = 4

    @Option(help: "Embedding width (source and target each).")
    var dimension = 64

    func validate() throws {
        if let epochs { guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") } }
        guard patience >= 1 else { throw ValidationError("--patience must be at least 1, got \(patience)") }
        guard dimension >= 2, dimension % 2 == 0 else { throw ValidationError("--dimension must be even and at least 2, got \(dimension)") }
    }

    /// The configuration `vane graph train` uses for the default's GNN, with these options.
    var gnnConfiguration: DirectedGNNConfiguration {
        var c = DirectedGNNConfiguration()
        if let epochs { c.setEpochCap(epochs) }
        c.patience = patience
        c.dimension = dimension
        return c
    }
}
