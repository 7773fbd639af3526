#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaneGraph
import VaneRelated

/// What people browsing a related-items model need besides its scores: item search over names and
/// titles, titles and degrees, and who recommends an item (the reverse of the index). Built once
/// per model set at load, immutable.
public struct ServingCatalogue: Sendable {
    /// One item as the item API shows it.
    public struct Entry: Sendable, Equatable {
        public let id: Int32
        public let name: String
        public let title: String?
        /// Every attribute of the node file other than the title (e.g. `group`), empty without one.
        public let attributes: [String: String]
        public let inDegree: Int
        public let outDegree: Int
    }

    /// How a search hit matched; lower is better.
    public enum MatchKind: Int, Sendable, Comparable {
        case exactName = 0, namePrefix, titleWord, substring

        public static func < (a: MatchKind, b: MatchKind) -> Bool { a.rawValue < b.rawValue }
    }

    let graph: DirectedGraph
    let titles: [String?]
    let attributeTable: NodeAttributeTable?
    /// Lower-cased "name \u{1} title" of every item, most linked-to first, each followed by "\n".
    let searchText: [UInt8]
    /// Start of each key in `searchText` (one per item in search order, plus the end).
    let keyStarts: [Int]
    /// Item id of each key.
    let keyItems: [Int32]
    /// Who recommends each item within its top 10; nil without an index.
    public let recommenders: RecommenderLists?

    /// The catalogue of `model`: titles from `attributes` (its `label`), recommenders from `index`.
    /// O(items log items + text).
    public init(model: RelatedItemModel, index: RelatedItemIndex?, attributes: NodeAttributeTable?) {
        let graph = model.graph
        self.graph = graph
        titles = graph.nodeNames.map { attributes?.label(of: $0) }
        attributeTable = attributes
        let order = (0..<Int32(graph.nodeCount)).sorted { (graph.inDegree(of: $0), $1) > (graph.inDegree(of: $1), $0) }
        var text: [UInt8] = [], starts: [Int] = []
        for item in order {
            starts.append(text.count)
            text.append(contentsOf: graph.nodeNames[Int(item)].lowercased().utf8.map { $0 == 10 || $0 == 1 ? 32 : $0 })
            if let title = titles[Int(item)] {
                text.append(1)
                text.append(contentsOf: title.lowercased().utf8.map { $0 == 10 || $0 == 1 ? 32 : $0 })
            }
            text.append(10)
        }
        starts.append(text.count)
        searchText = text
        keyStarts = starts
        keyItems = order
        recommenders = index?.recommenders(depth: 10)
    }

    public var itemCount: Int { graph.nodeCount }

    /// Whether any item has a title.
    public var hasTitles: Bool { titles.contains { $0 != nil } }

    public func entry(_ id: Int32) -> Entry {
        let name = graph.nodeNames[Int(id)], title = titles[Int(id)]
        let attributes = (attributeTable?.attributes(of: name) ?? [:]).filter { $0.value != title }
        return Entry(id: id, name: name, title: title, attributes: attributes,
                     inDegree: graph.inDegree(of: id), outDegree: graph.outDegree(of: id))
    }

    public func id(of name: String) -> Int32? { graph.id(of: name) }

    /// The first offset at or after `start` where `pattern` occurs in `text`: memchr for its first
    /// byte, memcmp for the rest.
    static func find(_ pattern: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = text.baseAddress, let first = pattern.first else { return nil }
        var position = start
        while position + pattern.count <= text.count {
            guard let hit = memchr(base + position, Int32(first), text.count - pattern.count + 1 - position) else { return nil }
            let offset = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + offset, pattern.baseAddress!, pattern.count) == 0 { return offset }
            position = offset + 1
        }
        return nil
    }

    /// Items whose name or title contains `query` (case-insensitive): the exact name first, then
    /// names starting with it, then a word of the title or name starting with it, then any substring; within
    /// each, the most linked-to first. At most `limit`. O(text), whatever the query.
    public func search(_ query: String, limit: Int) -> [(entry: Entry, match: MatchKind)] {
        let needle = Array(query.lowercased().utf8)
        guard !needle.isEmpty, limit > 0 else { return [] }
        var best: [[Int32]] = [[], [], [], []]
        searchText.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { pattern in
                guard haystack.baseAddress != nil else { return }
                var position = 0, key = 0
                var lastKey = -1, lastKind = MatchKind.substring
                func flush() {
                    if lastKey >= 0, best[lastKind.rawValue].count < limit { best[lastKind.rawValue].append(keyItems[lastKey]) }
                }
                while let offset = Self.find(pattern, in: haystack, from: position) {
                    while keyStarts[key + 1] <= offset { key += 1 }
                    let start = keyStarts[key], end = keyStarts[key + 1] - 1  // end: the "\n"
                    let before = offset > start ? haystack[offset - 1] : 0
                    let kind: MatchKind
                    if offset == start {
                        let nameEnd = (start..<end).first { haystack[$0] == 1 } ?? end
                        kind = offset + pattern.count == nameEnd ? .exactName : .namePrefix
                    } else if [1, 32, 45, 46, 47, 95, 40].contains(before) {  // \u{1} space - . / _ (
                        kind = .titleWord
                    } else {
                        kind = .substring
                    }
                    if key == lastKey {
                        lastKind = min(lastKind, kind)
                    } else {
                        flush()
                        lastKey = key
                        lastKind = kind
                    }
                    position = offset + 1
                }
                flush()
            }
        }
        var results: [(entry: Entry, match: MatchKind)] = []
        for kind in [MatchKind.exactName, .namePrefix, .titleWord, .substring] {
            for item in best[kind.rawValue] where results.count < limit { results.append((entry(item), kind)) }
        }
        return results
    }
}
