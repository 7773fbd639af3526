import CMETIS
import Synchronization
import VaneGraph

extension GraphPartition {
    /// Largest graph METIS's 32-bit indices hold here: the symmetric adjacency lists both directions
    /// of every edge, so 2 x edges must stay below 2^31 (about 1 billion directed edges).
    public static let metisEdgeLimit = Int(Int32.max) / 2

    /// A k-way partition by METIS 5 (Karypis & Kumar 1998, multilevel k-way; `METIS_PartGraphKway`)
    /// of the undirected graph underneath `graph` (an edge in either direction joins two nodes; a
    /// reciprocal pair weighs 2, so the cut METIS minimises counts directed edges), with two balance
    /// constraints: nodes (embedding rows per rank) and out-edges (seed edges per rank), each within
    /// `imbalance` of the mean. Seeded and deterministic for a seed, also when called from several
    /// threads (the calls into METIS take turns). Memory O(nodes + edges) in 32-bit
    /// indices; time about O(edges log parts). Throws for parts outside 1...nodes, graphs beyond
    /// `metisEdgeLimit` (use `hash`), and METIS errors.
    public static func metis(_ graph: DirectedGraph, parts: Int, seed: UInt64 = 1, imbalance: Double = 1.05) throws(PartitionError) -> GraphPartition {
        let n = graph.nodeCount
        guard parts >= 1, parts <= max(1, n) else {
            throw PartitionError(.invalidRequest, "parts must be in 1...\(max(1, n)) (the graph's nodes), got \(parts)", field: "parts")
        }
        guard imbalance > 1, imbalance <= 2 else {
            throw PartitionError(.invalidRequest, "imbalance must be in (1, 2], got \(imbalance)", field: "imbalance")
        }
        guard graph.edgeCount <= metisEdgeLimit, n < Int(Int32.max) else {
            throw PartitionError(.invalidRequest, "\(graph.edgeCount) edges exceed METIS's 32-bit indices (at most \(metisEdgeLimit)); use the hash partition",
                                 field: "parts")
        }
        if parts == 1 { return GraphPartition(parts: 1, method: .metis, assignment: [Int32](repeating: 0, count: n)) }
        // Symmetric adjacency without self-loops; a neighbour reached both ways weighs 2.
        var xadj = [idx_t](repeating: 0, count: n + 1)
        var adjncy: [idx_t] = [], adjwgt: [idx_t] = []
        adjncy.reserveCapacity(2 * graph.edgeCount)
        adjwgt.reserveCapacity(2 * graph.edgeCount)
        var weightOf = [idx_t](repeating: 0, count: n)
        var touched: [Int32] = []
        for u in 0..<Int32(n) {
            for v in graph.outNeighbours(of: u) where v != u {
                if weightOf[Int(v)] == 0 { touched.append(v) }
                weightOf[Int(v)] += 1
            }
            for v in graph.inNeighbours(of: u) where v != u {
                if weightOf[Int(v)] == 0 { touched.append(v) }
                weightOf[Int(v)] += 1
            }
            touched.sort()
            for v in touched {
                adjncy.append(idx_t(v))
                adjwgt.append(weightOf[Int(v)])
                weightOf[Int(v)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            xadj[Int(u) + 1] = idx_t(adjncy.count)
        }
        // Two constraints per node: 1 (its embedding row) and its out-degree (its seed edges).
        var vwgt = [idx_t](repeating: 1, count: 2 * n)
        for u in 0..<n { vwgt[2 * u + 1] = idx_t(graph.outDegree(of: Int32(u))) }
        var nvtxs = idx_t(n), ncon: idx_t = 2, nparts = idx_t(parts), edgecut: idx_t = 0
        var ubvec = [real_t](repeating: real_t(imbalance), count: 2)
        var options = [idx_t](repeating: 0, count: Int(METIS_NOPTIONS))
        METIS_SetDefaultOptions(&options)
        options[Int(METIS_OPTION_SEED.rawValue)] = idx_t(truncatingIfNeeded: seed & 0x7FFF_FFFF)
        options[Int(METIS_OPTION_NUMBERING.rawValue)] = 0
        var part = [idx_t](repeating: 0, count: n)
        if adjncy.isEmpty { adjncy.append(0); adjwgt.append(0) }  // METIS reads the arrays even when no edge exists
        // METIS keeps its random state (GKlib's generator, seeded by METIS_OPTION_SEED) in process
        // globals, so two calls at once draw from each other's stream and the seed no longer fixes
        // the partition: calls are serialised.
        let status = metisCalls.withLock { _ in
            METIS_PartGraphKway(&nvtxs, &ncon, &xadj, &adjncy, &vwgt, nil, &adjwgt, &nparts, nil, &ubvec, &options, &edgecut, &part)
        }
        guard status == METIS_OK.rawValue else {
            let reason = status == METIS_ERROR_MEMORY.rawValue ? "out of memory" : status == METIS_ERROR_INPUT.rawValue ? "input error" : "error \(status)"
            throw PartitionError(.metisFailed, "METIS_PartGraphKway failed (\(reason)) on \(n) nodes, \(graph.edgeCount) edges, \(parts) parts")
        }
        return GraphPartition(parts: parts, method: .metis, assignment: part.map { Int32($0) })
    }
}

/// Serialises calls into METIS, whose random state is global to the process.
private let metisCalls = Mutex(())
