import Foundation
import VaneIO

/// The index file, `top-targets.bin` in the model directory. Little-endian, no padding between
/// sections, readable with numpy (`np.frombuffer` at the offsets below):
///
///     0   8 bytes  magic "VNTOPK01"
///     8   u32      format version (1)
///     12  u32      count K (targets kept per item)
///     16  u64      items n
///     24  u64      entries E (sum of list lengths, <= n x K)
///     32  u64      model fingerprint (`ContentFingerprint` of model.json and embeddings.safetensors)
///     40  u64      payload checksum (`ContentFingerprint` of every byte from 64 to the end)
///     48  16 bytes zero
///     64  (n + 1) x u64  list offsets: item i's targets are entries offsets[i] ..< offsets[i + 1]
///     ..  E x i32        target ids, each list best first
///     ..  E x f32        their scores
///
/// 8 bytes per stored target: Debian's 60,513 items at K = 100 take 48 MB, mapped, not copied.
extension RelatedItemIndex {
    /// File name inside a model directory.
    public static let fileName = "top-targets.bin"
    static let magic = Array("VNTOPK01".utf8)
    static let formatVersion: UInt32 = 1

    /// Byte offsets of the sections for `itemCount` items; reads the entry count from the header.
    struct Layout {
        static let headerBytes = 64
        let itemCount: Int
        let entryCount: Int

        init(itemCount: Int, bytes: UnsafeRawBufferPointer) {
            self.itemCount = itemCount
            entryCount = Int(bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        }

        init(itemCount: Int, entryCount: Int) {
            self.itemCount = itemCount
            self.entryCount = entryCount
        }

        var offsetsStart: Int { Self.headerBytes }
        var targetsStart: Int { offsetsStart + 8 * (itemCount + 1) }
        var scoresStart: Int { targetsStart + 4 * entryCount }
        var totalBytes: Int { scoresStart + 4 * entryCount }

        @inline(__always) func offset(_ item: Int, in bytes: UnsafeRawBufferPointer) -> Int {
            Int(bytes.loadUnaligned(fromByteOffset: offsetsStart + 8 * item, as: UInt64.self).littleEndian)
        }

        @inline(__always) func range(of item: Int, in bytes: UnsafeRawBufferPointer) -> Range<Int> {
            offset(item, in: bytes)..<offset(item + 1, in: bytes)
        }

        @inline(__always) func target(at entry: Int, in bytes: UnsafeRawBufferPointer) -> Int32 {
            Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: targetsStart + 4 * entry, as: Int32.self))
        }

        @inline(__always) func score(at entry: Int, in bytes: UnsafeRawBufferPointer) -> Float {
            Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: scoresStart + 4 * entry, as: UInt32.self)))
        }
    }

    /// The file bytes of `lists`.
    static func encode(lists: [[(index: Int32, score: Float)]], count: Int, modelFingerprint: ContentFingerprint) -> [UInt8] {
        let entries = lists.reduce(0) { $0 + $1.count }
        let layout = Layout(itemCount: lists.count, entryCount: entries)
        var bytes = [UInt8](repeating: 0, count: layout.totalBytes)
        bytes.withUnsafeMutableBytes { raw in
            func put<Value: FixedWidthInteger>(_ value: Value, at offset: Int) {
                raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Value.self)
            }
            for (k, byte) in magic.enumerated() { raw[k] = byte }
            put(formatVersion, at: 8)
            put(UInt32(count), at: 12)
            put(UInt64(lists.count), at: 16)
            put(UInt64(entries), at: 24)
            put(modelFingerprint.value, at: 32)
            var entry = 0
            for (item, list) in lists.enumerated() {
                put(UInt64(entry), at: layout.offsetsStart + 8 * item)
                for pair in list {
                    put(pair.index, at: layout.targetsStart + 4 * entry)
                    put(pair.score.bitPattern, at: layout.scoresStart + 4 * entry)
                    entry += 1
                }
            }
            put(UInt64(entry), at: layout.offsetsStart + 8 * lists.count)
            put(payloadChecksum(UnsafeRawBufferPointer(raw)).value, at: 40)
        }
        return bytes
    }

    /// The checksum of everything after the header: any edit or truncation of the lists changes it.
    static func payloadChecksum(_ bytes: UnsafeRawBufferPointer) -> ContentFingerprint {
        ContentFingerprint(of: [UnsafeRawBufferPointer(rebasing: bytes[Layout.headerBytes...])])
    }

    /// Writes the index to `path` (atomically: a crash never leaves a half-written index).
    public func write(to path: String) throws {
        try storage.withBytes { Data($0) }.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes the index into its model's directory as `top-targets.bin`.
    public func write(toModelDirectory directory: String) throws {
        try write(to: URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path)
    }

    /// Builds the index of the model saved in `directory` and writes it there as `top-targets.bin`
    /// (the workflow of `vane graph index`). The model is read back from its files, so the index
    /// carries the fingerprint of exactly what is on disk; right after `save(to:)`, build from the
    /// model in memory with the fingerprint `save` returned instead. Returns the index.
    @discardableResult
    public static func build(forModelIn directory: String, count: Int = 100,
                             progress: ((Int) -> Void)? = nil) throws -> RelatedItemIndex {
        let index = try RelatedItemIndex(model: try RelatedItemModel.load(from: directory), count: count, progress: progress)
        try index.write(toModelDirectory: directory)
        return index
    }

    /// The index file in `directory` if there is one, loaded against `model`; nil without a file.
    public static func loadIfPresent(modelDirectory directory: String, for model: RelatedItemModel) throws(RelatedError) -> RelatedItemIndex? {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try load(from: path, for: model)
    }

    /// Maps the index file at `path` and checks it belongs to `model` (same fingerprint and item
    /// count) and that every list is well formed (offsets in order and at most K apart, ids in range
    /// and never the item itself nor a known out-neighbour, the payload checksum, scores finite and in the model's order); errors name the file and
    /// the item. O(file size): every page is read once here.
    public static func load(from path: String, for model: RelatedItemModel) throws(RelatedError) -> RelatedItemIndex {
        guard model.fileFingerprint != nil else {
            throw RelatedError(.invalidRequest, "\(path): an index is checked against a model loaded from its directory")
        }
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw RelatedError(.modelFile, "\(path): \(error.message)") }
        let count = try checked(file.bytes, for: model, source: path)
        return RelatedItemIndex(storage: .mapped(file), count: count, itemCount: model.itemCount, modelFingerprint: model.fileFingerprint!)
    }

    /// An index of `model` assembled from lists computed elsewhere (the shards of a distributed
    /// build: one list per item, best first), checked like a file. O(entries).
    public init(lists: [[(index: Int32, score: Float)]], count: Int, for model: RelatedItemModel) throws(RelatedError) {
        guard let fingerprint = model.fileFingerprint else {
            throw RelatedError(.invalidRequest, "an index is built for a saved model: load the model from its directory")
        }
        guard (1...Self.maximumCount).contains(count) else {
            throw RelatedError(.invalidConfiguration, "index count must be 1 to \(Self.maximumCount), got \(count)", field: "count")
        }
        guard lists.count == model.itemCount else {
            throw RelatedError(.invalidRequest, "\(lists.count) lists for a model of \(model.itemCount) items")
        }
        let bytes = Self.encode(lists: lists, count: count, modelFingerprint: fingerprint)
        let problem = bytes.withUnsafeBytes { raw -> RelatedError? in
            do throws(RelatedError) { _ = try Self.checked(raw, for: model, source: "assembled index") } catch { return error }
            return nil
        }
        if let problem { throw problem }
        self.init(storage: .owned(bytes), count: count, itemCount: model.itemCount, modelFingerprint: fingerprint)
    }

    /// Checks index bytes against `model` (see `load(from:for:)`); returns the stored count.
    static func checked(_ bytes: UnsafeRawBufferPointer, for model: RelatedItemModel, source path: String) throws(RelatedError) -> Int {
        func fail(_ message: String) -> RelatedError { RelatedError(.modelFile, "\(path): \(message)") }
        let expected = model.fileFingerprint!
        guard bytes.count >= Layout.headerBytes, Array(bytes[0..<8]) == magic else {
            throw fail("not a Vane top-targets index (no VNTOPK01 header); rebuild it with `vane graph index`")
        }
        let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard version == formatVersion else { throw fail("format version \(version); this build reads version \(formatVersion)") }
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        guard (1...maximumCount).contains(count) else { throw fail("count \(count) outside 1...\(maximumCount)") }
        let items = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard items == UInt64(model.itemCount) else {
            throw fail("built for a model of \(items) items, this model has \(model.itemCount): rebuild it with `vane graph index`")
        }
        let fingerprint = ContentFingerprint(value: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self)))
        guard fingerprint == expected else {
            throw fail("built for other model files (fingerprint \(fingerprint), the model's files are \(expected)); the model changed after the index was written: rebuild it with `vane graph index`")
        }
        let n = model.itemCount
        let entries = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        guard entries <= UInt64(n) * UInt64(count) else { throw fail("\(entries) entries for \(n) items of at most \(count)") }
        let layout = Layout(itemCount: n, entryCount: Int(entries))
        guard bytes.count == layout.totalBytes else {
            throw fail("\(bytes.count) bytes, a header of \(n) items and \(entries) entries needs \(layout.totalBytes) (truncated or padded?)")
        }
        let checksum = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 40, as: UInt64.self))
        guard checksum == payloadChecksum(bytes).value else {
            throw fail("payload checksum does not match (the file was edited or damaged): rebuild it with `vane graph index`")
        }
        guard layout.offset(0, in: bytes) == 0, layout.offset(n, in: bytes) == Int(entries) else {
            throw fail("list offsets must start at 0 and end at \(entries)")
        }
        for item in 0..<n {
            let start = layout.offset(item, in: bytes), end = layout.offset(item + 1, in: bytes)
            guard start <= end, end - start <= count, end <= Int(entries) else {
                throw fail("item \(item): list offsets \(start)..<\(end) are out of order or longer than \(count)")
            }
            var previous: (index: Int32, score: Float)?
            for entry in start..<end {
                let target = layout.target(at: entry, in: bytes), score = layout.score(at: entry, in: bytes)
                guard target >= 0, Int(target) < n, Int(target) != item else {
                    throw fail("item \(item): target id \(target) is out of range or the item itself")
                }
                guard !model.graph.hasEdge(from: Int32(item), to: target) else {
                    throw fail("item \(item): target \(target) is a known out-neighbour, which the index leaves out")
                }
                guard score.isFinite else { throw fail("item \(item): score \(score) of target \(target) is not finite") }
                if let previous, !(previous.score > score || (previous.score == score && previous.index < target)) {
                    throw fail("item \(item): targets are not in order (best first, ties by id) at entry \(entry - start)")
                }
                previous = (target, score)
            }
        }
        return count
    }
}
