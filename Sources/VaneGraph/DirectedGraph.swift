/// A directed graph over dense node ids `0..<nodeCount`, stored twice for fast access both ways:
/// CSR for out-edges (u -> its targets) and CSC for in-edges (v <- its sources).
///
/// Neighbour lists are sorted by id and free of duplicates and self-loops, so `hasEdge` is a binary
/// search. Memory: 2 x (nodeCount + 1) offsets and 2 x edgeCount `Int32` ids, plus names.
public struct DirectedGraph: Sendable {
    /// One directed edge.
    public struct Edge: Sendable, Hashable {
        public let source: Int32
        public let target: Int32
        public init(source: Int32, target: Int32) {
            self.source = source
            self.target = target
        }
    }

    /// External name of every node, indexed by dense id.
    public let nodeNames: [String]
    /// CSR: the out-neighbours of u are `outTargets[outOffsets[u] ..< outOffsets[u + 1]]`.
    public let outOffsets: [Int]
    public let outTargets: [Int32]
    /// CSC: the in-neighbours of v are `inSources[inOffsets[v] ..< inOffsets[v + 1]]`.
    public let inOffsets: [Int]
    public let inSources: [Int32]
    private let idByName: [String: Int32]

    /// Builds the graph from edges over named nodes. Self-loops and duplicate edges are dropped
    /// (callers that must report them count them before). O(E log E).
    public init(nodeNames: [String], edges: [Edge]) {
        let n = nodeNames.count
        precondition(n < Int(Int32.max), "DirectedGraph: too many nodes for Int32 ids")
        self.nodeNames = nodeNames
        var lookup: [String: Int32] = [:]
        lookup.reserveCapacity(n)
        for (id, name) in nodeNames.enumerated() { lookup[name] = Int32(id) }
        self.idByName = lookup
        let (outOffsets, outTargets) = Self.compressedRows(n, edges.lazy.map { ($0.source, $0.target) })
        let (inOffsets, inSources) = Self.compressedRows(n, edges.lazy.map { ($0.target, $0.source) })
        self.outOffsets = outOffsets
        self.outTargets = outTargets
        self.inOffsets = inOffsets
        self.inSources = inSources
    }

    /// Counting-sort edges by row, then sort and de-duplicate each row; self-loops removed.
    private static func compressedRows(_ n: Int, _ pairs: some Collection<(Int32, Int32)>) -> ([Int], [Int32]) {
        var counts = [Int](repeating: 0, count: n + 1)
        for (row, column) in pairs where row != column {
            precondition(row >= 0 && Int(row) < n && column >= 0 && Int(column) < n, "DirectedGraph: node id out of range")
            counts[Int(row) + 1] += 1
        }
        for i in 0..<n { counts[i + 1] += counts[i] }
        var cursor = counts
        var columns = [Int32](repeating: 0, count: counts[n])
        for (row, column) in pairs where row != column {
            columns[cursor[Int(row)]] = column
            cursor[Int(row)] += 1
        }
        // Sort each row and squeeze out duplicates in place.
        var offsets = [Int](repeating: 0, count: n + 1)
        var write = 0
        for row in 0..<n {
            let start = counts[row], end = counts[row + 1]
            columns[start..<end].sort()
            var previous: Int32 = -1
            for i in start..<end where columns[i] != previous {
                columns[write] = columns[i]
                previous = columns[i]
                write += 1
            }
            offsets[row + 1] = write
        }
        columns.removeLast(columns.count - write)
        return (offsets, columns)
    }

    /// Number of nodes.
    public var nodeCount: Int { nodeNames.count }
    /// Number of distinct directed edges.
    public var edgeCount: Int { outTargets.count }

    /// Dense id of a node name, or nil when unknown.
    public func id(of name: String) -> Int32? { idByName[name] }

    /// Targets of u's out-edges, sorted.
    @inlinable public func outNeighbours(of node: Int32) -> ArraySlice<Int32> {
        outTargets[outOffsets[Int(node)]..<outOffsets[Int(node) + 1]]
    }

    /// Sources of v's in-edges, sorted.
    @inlinable public func inNeighbours(of node: Int32) -> ArraySlice<Int32> {
        inSources[inOffsets[Int(node)]..<inOffsets[Int(node) + 1]]
    }

    @inlinable public func outDegree(of node: Int32) -> Int { outOffsets[Int(node) + 1] - outOffsets[Int(node)] }
    @inlinable public func inDegree(of node: Int32) -> Int { inOffsets[Int(node) + 1] - inOffsets[Int(node)] }

    /// Whether `edge` is one-way here: its reverse, target -> source, is not an edge (the pairs
    /// direction AUC is measured and trained on). O(log outDegree(target)).
    public func isOneWay(_ edge: Edge) -> Bool { !hasEdge(from: edge.target, to: edge.source) }

    /// Whether u -> v is an edge. O(log outDegree(u)).
    public func hasEdge(from source: Int32, to target: Int32) -> Bool {
        var low = outOffsets[Int(source)], high = outOffsets[Int(source) + 1]
        while low < high {
            let middle = (low + high) / 2
            let value = outTargets[middle]
            if value == target { return true }
            if value < target { low = middle + 1 } else { high = middle }
        }
        return false
    }

    /// All edges in CSR order (by source, then target).
    public var edges: [Edge] {
        var result: [Edge] = []
        result.reserveCapacity(edgeCount)
        for u in 0..<nodeCount {
            for v in outNeighbours(of: Int32(u)) { result.append(Edge(source: Int32(u), target: v)) }
        }
        return result
    }

    /// The same nodes (same ids and names) with another edge set, e.g. a training split.
    public func withEdges(_ edges: [Edge]) -> DirectedGraph {
        DirectedGraph(nodeNames: nodeNames, edges: edges)
    }
}
