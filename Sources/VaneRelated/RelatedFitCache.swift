import Synchronization
import VaneGraph
import VaneTensor

/// Fitted parts that several methods of one experiment share, so each is trained once per seed:
/// the GNN network of a configuration (`hybrid` and the GNN inside `hybrid+walks` and `vane`) and
/// the LightGCN fit (`lightgcn` and the block inside `vane`), and SpringRank's chosen alpha
/// (`springrank` and the blend of `walks`, `hybrid+walks` and `vane`).
///
/// Valid only for one training graph, validation set and seed: `RelatedExperiment` owns one per
/// experiment. Every entry keeps the seconds its fit took, so a method that reuses it still reports
/// its full training time. Lookups are O(entries).
public final class RelatedFitCache: Sendable {
    /// A trained GNN network with its report and the seconds training took.
    public struct Network: Sendable {
        public let network: DirectedGNN
        public let report: DirectedGNNTrainer.Report
        public let seconds: Double
    }

    /// A LightGCN fit over the training graph.
    public struct LightGCN: Sendable {
        public let model: RelatedItemModel
        public let steps: Int
        public let freeEmbeddings: Matrix
        public let seconds: Double
    }

    private struct Entries {
        var networks: [(configuration: DirectedGNNConfiguration, value: Network)] = []
        var lightGCN: LightGCN?
        var regularisation: NodePotential.RegularisationChoice?
    }

    private let entries = Mutex(Entries())

    public init() {}

    /// The network trained for `configuration`, if there is one.
    public func network(for configuration: DirectedGNNConfiguration) -> Network? {
        entries.withLock { entries in entries.networks.first { $0.configuration == configuration }?.value }
    }

    public func store(_ network: Network, for configuration: DirectedGNNConfiguration) {
        entries.withLock { entries in
            if !entries.networks.contains(where: { $0.configuration == configuration }) { entries.networks.append((configuration, network)) }
        }
    }

    /// The LightGCN fit over the training graph, if there is one.
    public var lightGCN: LightGCN? { entries.withLock { $0.lightGCN } }

    public func store(_ fit: LightGCN) { entries.withLock { $0.lightGCN = fit } }

    /// SpringRank's alpha chosen on this split (`NodePotential.chooseRegularisation`), if it was.
    public var regularisation: NodePotential.RegularisationChoice? { entries.withLock { $0.regularisation } }

    public func store(_ choice: NodePotential.RegularisationChoice) { entries.withLock { $0.regularisation = choice } }
}
