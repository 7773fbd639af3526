import VaneGraph

/// An assignment of every node of a directed graph to one of `parts` parts (ranks), and what it
/// costs a distributed job: the directed edges between parts, each part's nodes, out-edges and halo.
///
/// A sharded trainer gives each rank one part: the rank owns its nodes' embedding rows and the seed
/// edges leaving them, and must fetch the rows of its halo (nodes of other parts adjacent to its own,
/// in either direction) every step they are sampled, so cut edges and halo sizes are the
/// communication a partition implies. `layout` renumbers the nodes so each part is a contiguous id
/// range (owner = search in P offsets). Immutable.
public struct GraphPartition: Sendable, Equatable {
    /// How the assignment was made.
    public enum Method: String, Sendable, CaseIterable {
        /// METIS k-way (multilevel, minimises cut edges), balancing nodes and out-edges per part.
        case metis
        /// A seeded hash of the node name: no locality, perfect expected balance, any graph size.
        case hash
    }

    public let parts: Int
    public let method: Method
    /// Part of each node, by node id.
    public let assignment: [Int32]

    /// Precondition: every part in 0..<parts (the partitioners and the file loader guarantee it).
    public init(parts: Int, method: Method, assignment: [Int32]) {
        precondition(parts >= 1 && assignment.allSatisfy { $0 >= 0 && Int($0) < parts }, "GraphPartition: parts out of range")
        self.parts = parts
        self.method = method
        self.assignment = assignment
    }

    /// What the partition costs on `graph`. O(edges).
    public struct Statistics: Sendable, Equatable {
        /// Nodes per part.
        public let nodes: [Int]
        /// Out-edges of each part's nodes (the seed edges its rank trains on).
        public let outEdges: [Int]
        /// Nodes of other parts adjacent to each part (by an edge in either direction).
        public let halo: [Int]
        /// Directed edges whose ends lie in different parts.
        public let cutEdges: Int
        public let edges: Int

        /// Cut edges as a share of all edges.
        public var cutShare: Double { edges > 0 ? Double(cutEdges) / Double(edges) : 0 }
        /// Largest part over the mean part (1 = perfect balance), by nodes and by out-edges.
        public var nodeImbalance: Double { Self.imbalance(nodes) }
        public var edgeImbalance: Double { Self.imbalance(outEdges) }

        static func imbalance(_ sizes: [Int]) -> Double {
            let total = sizes.reduce(0, +)
            return total > 0 ? Double(sizes.max() ?? 0) * Double(sizes.count) / Double(total) : 1
        }
    }

    /// The partition's cut, balance and halos on `graph` (the graph it was made for). O(edges).
    public func statistics(on graph: DirectedGraph) -> Statistics {
        precondition(graph.nodeCount == assignment.count, "GraphPartition: made for another graph")
        var nodes = [Int](repeating: 0, count: parts), outEdges = [Int](repeating: 0, count: parts)
        var halo = [Int](repeating: 0, count: parts)
        var cut = 0
        // A remote node counts once per part: the last part that counted it, per node.
        var countedFor = [Int32](repeating: -1, count: graph.nodeCount)
        var byPart = [[Int32]](repeating: [], count: parts)
        for v in 0..<graph.nodeCount { byPart[Int(assignment[v])].append(Int32(v)) }
        for part in 0..<parts {
            for u in byPart[part] {
                nodes[part] += 1
                outEdges[part] += graph.outDegree(of: u)
                for v in graph.outNeighbours(of: u) where Int(assignment[Int(v)]) != part {
                    cut += 1
                    if countedFor[Int(v)] != Int32(part) { countedFor[Int(v)] = Int32(part); halo[part] += 1 }
                }
                for v in graph.inNeighbours(of: u) where Int(assignment[Int(v)]) != part {
                    if countedFor[Int(v)] != Int32(part) { countedFor[Int(v)] = Int32(part); halo[part] += 1 }
                }
            }
        }
        return Statistics(nodes: nodes, outEdges: outEdges, halo: halo, cutEdges: cut, edges: graph.edgeCount)
    }

    /// Node ids renumbered so that each part is one contiguous range, parts in order, nodes in their
    /// original order within a part: `newID[old]`, `oldID[new]`, and `offsets` (parts + 1 values;
    /// part p owns new ids offsets[p] ..< offsets[p + 1]). O(nodes).
    public var layout: (newID: [Int32], oldID: [Int32], offsets: [Int]) {
        var offsets = [Int](repeating: 0, count: parts + 1)
        for part in assignment { offsets[Int(part) + 1] += 1 }
        for p in 0..<parts { offsets[p + 1] += offsets[p] }
        var next = Array(offsets.dropLast())
        var newID = [Int32](repeating: 0, count: assignment.count), oldID = [Int32](repeating: 0, count: assignment.count)
        for (old, part) in assignment.enumerated() {
            let id = next[Int(part)]
            next[Int(part)] += 1
            newID[old] = Int32(id)
            oldID[id] = Int32(old)
        }
        return (newID, oldID, offsets)
    }
}
