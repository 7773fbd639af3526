import Foundation
import VaneIO

/// Precomputed top-K targets of every item of a saved `RelatedItemModel`, so serving a related-items
/// request is a lookup instead of a scan of every target embedding.
///
/// Built in one batch pass (`RelatedItemModel.recommendAll`: one GEMM per 128 sources, the
/// neighbourhood term included) and stored in the model directory (`top-targets.bin`, see
/// `RelatedItemIndex+Files.swift`), memory-mapped at load. Each list holds the exact best `count`
/// targets (never the item itself, never a known out-neighbour) in the model's own order (score,
/// then smaller id), so the first k that survive an `exclude` list are the exact answer as long as
/// k of them survive; `topTargets(for:)` says when they do not and the caller must scan.
///
/// The index carries the fingerprint of the model files it was computed from; loading it against
/// any other model is refused, so a stale index can never answer. Immutable and `Sendable`.
public struct RelatedItemIndex: Sendable {
    /// Targets stored per item (lists are shorter only where fewer candidates exist).
    public let count: Int
    public let itemCount: Int
    /// The model files' fingerprint this index was computed from.
    public let modelFingerprint: ContentFingerprint
    let storage: Storage

    /// Where the bytes live: a memory-mapped file, or bytes built in this process.
    enum Storage: Sendable {
        case mapped(MappedFile)
        case owned([UInt8])

        func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            switch self {
            case .mapped(let file): return body(file.bytes)
            case .owned(let bytes): return bytes.withUnsafeBytes(body)
            }
        }

        var byteCount: Int { withBytes(\.count) }
    }

    /// Computes the index of `model`: the best `count` targets of every item (default 100), in
    /// batches of 128 sources, `progress` called with the items done. `modelFingerprint` defaults to
    /// the fingerprint of the files the model was loaded from; a model built in memory needs the one
    /// `save(to:)` returned. O(items^2 x dimension / cores + items x count).
    public init(model: RelatedItemModel, count: Int = 100, modelFingerprint: ContentFingerprint? = nil,
                progress: ((Int) -> Void)? = nil) throws(RelatedError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw RelatedError(.invalidConfiguration, "index count must be 1 to \(Self.maximumCount), got \(count)", field: "count")
        }
        guard let fingerprint = modelFingerprint ?? model.fileFingerprint else {
            throw RelatedError(.invalidRequest, "an index is built for a saved model: load the model from its directory, or pass the fingerprint save(to:) returns")
        }
        let lists = model.recommendAll(count: count, excludingKnown: true, progress: progress)
        self.init(lists: lists, count: count, modelFingerprint: fingerprint)
    }

    /// Wraps lists already computed (validated by the caller; the file reader checks them).
    init(lists: [[(index: Int32, score: Float)]], count: Int, modelFingerprint: ContentFingerprint) {
        self.count = count
        itemCount = lists.count
        self.modelFingerprint = modelFingerprint
        storage = .owned(Self.encode(lists: lists, count: count, modelFingerprint: modelFingerprint))
    }

    init(storage: Storage, count: Int, itemCount: Int, modelFingerprint: ContentFingerprint) {
        self.storage = storage
        self.count = count
        self.itemCount = itemCount
        self.modelFingerprint = modelFingerprint
    }

    /// Largest `count` an index may store per item.
    public static let maximumCount = 10_000

    /// Size of the index in bytes (on disk and in memory).
    public var byteCount: Int { storage.byteCount }

    /// The stored list of `source`, best first. O(stored list).
    public func storedTargets(of source: Int32) -> [(index: Int32, score: Float)] {
        storage.withBytes { bytes in
            let layout = Layout(itemCount: itemCount, bytes: bytes)
            let range = layout.range(of: Int(source), in: bytes)
            return range.map { (index: layout.target(at: $0, in: bytes), score: layout.score(at: $0, in: bytes)) }
        }
    }

    /// The exact answer to `query` from the stored list, or nil when the list cannot prove it:
    /// fewer than `query.count` stored targets survive `query.excluded` and the list was cut at
    /// `count` (a shorter list holds every candidate, so what survives is the whole answer), or the
    /// query keeps known out-neighbours, which the index leaves out. O(count + |excluded|).
    public func topTargets(for query: TopTargetsQuery) -> [(index: Int32, score: Float)]? {
        guard query.excludingKnown, query.source >= 0, Int(query.source) < itemCount else { return nil }
        return storage.withBytes { bytes in
            let layout = Layout(itemCount: itemCount, bytes: bytes)
            let range = layout.range(of: Int(query.source), in: bytes)
            var answer: [(index: Int32, score: Float)] = []
            answer.reserveCapacity(min(query.count, range.count))
            for position in range {
                let target = layout.target(at: position, in: bytes)
                if !query.excluded.isEmpty && query.excluded.contains(target) { continue }
                answer.append((index: target, score: layout.score(at: position, in: bytes)))
                if answer.count == query.count { return answer }
            }
            return range.count < count ? answer : nil
        }
    }
}
