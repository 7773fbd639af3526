import Foundation
import VaneConversions
import VaneDecisions
import VaneGraph
import VaneRelated

/// Where the served models live on disk; `reload` reads them again from here.
public struct ModelPaths: Sendable, Equatable {
    /// A `vane graph train` directory.
    public var related: String?
    /// A `vane conversions train` directory.
    public var conversions: String?
    /// A `vane thresholds fit` policy file.
    public var policy: String?
    /// Node attributes (titles) of the related model's items, for search and the browser page.
    public var nodes: String?

    public init(related: String? = nil, conversions: String? = nil, policy: String? = nil, nodes: String? = nil) {
        self.related = related
        self.conversions = conversions
        self.policy = policy
        self.nodes = nodes
    }
}

/// One consistent set of loaded models. Immutable: a request takes the current set once and keeps
/// it, so a reload never changes models under a request in flight.
public struct ServingModels: Sendable {
    public let related: RelatedItemModel?
    /// Precomputed top targets of `related` (its directory's `top-targets.bin`), loaded with it and
    /// checked to belong to it; nil without a file: every request then scans.
    public let relatedIndex: RelatedItemIndex?
    /// 8-bit copies of `related`'s target embeddings for its exact scans (`CompactTargetScan`);
    /// nil when scans read the float32 embeddings.
    public let relatedScan: CompactTargetScan?
    /// Search, titles, degrees and recommenders of the related model's items (`/v1/items`,
    /// `/v1/recommended-by`, the page); nil without a related model.
    public let catalogue: ServingCatalogue?
    public let conversion: ConversionModel?
    public let policy: ThresholdPolicy?
    /// Increases by one with every successful load.
    public let version: Int
    public let loadedAt: Date

    public init(related: RelatedItemModel?, relatedIndex: RelatedItemIndex? = nil, attributes: NodeAttributeTable? = nil,
                conversion: ConversionModel?, policy: ThresholdPolicy?, version: Int, loadedAt: Date = Date(),
                scanEncoding: TargetScanEncoding = .int8) {
        precondition(relatedIndex == nil || (related != nil && relatedIndex!.itemCount == related!.itemCount),
                     "ServingModels: an index needs the model it was built for")
        self.related = related
        self.relatedIndex = relatedIndex
        relatedScan = scanEncoding == .int8 ? related.map { CompactTargetScan(model: $0) } : nil
        catalogue = related.map { ServingCatalogue(model: $0, index: relatedIndex, attributes: attributes) }
        self.conversion = conversion
        self.policy = policy
        self.version = version
        self.loadedAt = loadedAt
    }

    /// Exact answers of `related` (its 8-bit scan when there is one, else the float32 scan) and, for
    /// the 8-bit scan, what it did. Queries must be valid for the model (`topTargets(for:)`).
    public func exactTopTargets(for queries: [TopTargetsQuery]) -> (answers: [[(index: Int32, score: Float)]], statistics: CompactTargetScan.Statistics?) {
        if let relatedScan {
            let (answers, statistics) = relatedScan.topTargets(for: queries)
            return (answers, statistics)
        }
        return (related?.topTargets(for: queries) ?? [], nil)
    }

    /// Loads every configured model; the first failure is reported with the path and the reason.
    /// At least one model must be configured. `scanEncoding` says how exact scans read the embeddings.
    public static func load(_ paths: ModelPaths, version: Int, scanEncoding: TargetScanEncoding = .int8) throws(ServingError) -> ServingModels {
        guard paths.related != nil || paths.conversions != nil else {
            throw ServingError(.reloadFailed, "nothing to serve: give a related-items model, a conversion model, or both")
        }
        if paths.nodes != nil && paths.related == nil {
            throw ServingError(.reloadFailed, "node attributes describe a related-items model's items (--related)")
        }
        if paths.policy != nil && paths.conversions == nil {
            throw ServingError(.reloadFailed, "a decision policy needs a conversion model to score with (--conversions)")
        }
        do {
            let related = try paths.related.map { try RelatedItemModel.load(from: $0) }
            // Read together with its model, so a reload swaps both or neither; a stale index fails the load.
            let index = try related.flatMap { model throws(RelatedError) in try RelatedItemIndex.loadIfPresent(modelDirectory: paths.related!, for: model) }
            let attributes = try paths.nodes.map { try NodeAttributeTable(path: $0) }
            let conversion = try paths.conversions.map { try ConversionModel.load(from: $0) }
            let policy = try paths.policy.map { try ThresholdPolicy.load(path: $0) }
            return ServingModels(related: related, relatedIndex: index, attributes: attributes, conversion: conversion, policy: policy,
                                 version: version, scanEncoding: scanEncoding)
        } catch {
            throw ServingError(.reloadFailed, "\(error)")
        }
    }
}
