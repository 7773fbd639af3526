import VaneGraph

extension GraphPartition {
    /// A partition of `graph` into `parts` by `method` (`metis(_:parts:seed:imbalance:)` or
    /// `hash(_:parts:seed:)`; the hash has no imbalance to set).
    public static func make(_ graph: DirectedGraph, parts: Int, method: Method, seed: UInt64 = 1,
                            imbalance: Double = 1.05) throws(PartitionError) -> GraphPartition {
        switch method {
        case .metis: try metis(graph, parts: parts, seed: seed, imbalance: imbalance)
        case .hash: try hash(graph, parts: parts, seed: seed)
        }
    }

    /// Each node to part hash(seed, name) mod parts (FNV-1a of the name's UTF-8 bytes, mixed with the
    /// seed by splitmix64): the same part for the same name whatever the graph's id order, on every
    /// rank, with no communication and no size limit. O(total name bytes).
    public static func hash(_ graph: DirectedGraph, parts: Int, seed: UInt64 = 1) throws(PartitionError) -> GraphPartition {
        guard parts >= 1 else { throw PartitionError(.invalidRequest, "parts must be at least 1, got \(parts)", field: "parts") }
        let assignment = graph.nodeNames.map { name -> Int32 in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            var z = h ^ (seed &* 0x9E37_79B9_7F4A_7C15)
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Int32(z % UInt64(parts))
        }
        return GraphPartition(parts: parts, method: .hash, assignment: assignment)
    }
}
