import Foundation
import Synchronization
import VaneRelated

/// Holds the models being served and swaps them atomically on reload.
///
/// A reload reads the new files outside the lock, then swaps one reference under it: requests
/// already running keep the set they took, new requests see the new set, and a set that fails to
/// load never replaces the one serving. Reloads are serialised so versions stay in order.
public final class ModelStore: Sendable {
    public let paths: ModelPaths
    /// How exact related-items scans of every loaded set read the embeddings.
    public let scanEncoding: TargetScanEncoding
    private let current: Mutex<ServingModels>
    private let reloading = Mutex<Void>(())

    /// Loads the initial models; throws if they cannot be loaded (nothing would be served).
    public init(paths: ModelPaths, scanEncoding: TargetScanEncoding = .int8) throws(ServingError) {
        self.paths = paths
        self.scanEncoding = scanEncoding
        current = Mutex(try ServingModels.load(paths, version: 1, scanEncoding: scanEncoding))
    }

    /// Wraps models already in memory (tests, embedding).
    public init(models: ServingModels, paths: ModelPaths = .init()) {
        self.paths = paths
        scanEncoding = models.relatedScan == nil && models.related != nil ? .float32 : .int8
        current = Mutex(models)
    }

    /// The set a request should use from start to finish.
    public var models: ServingModels { current.withLock { $0 } }

    /// Reads the models again from `paths`; on failure the old set keeps serving and the error says why.
    @discardableResult
    public func reload() throws(ServingError) -> ServingModels {
        try reloading.withLock { _ throws(ServingError) in
            let next = try ServingModels.load(paths, version: models.version + 1, scanEncoding: scanEncoding)
            current.withLock { $0 = next }
            return next
        }
    }

    /// Swaps in models already loaded (tests).
    public func replace(with models: ServingModels) {
        current.withLock { $0 = models }
    }
}
