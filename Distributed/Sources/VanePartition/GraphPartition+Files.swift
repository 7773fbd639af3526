import Foundation
import VaneErrors
import VaneGraph
import VaneIO

/// Partition files: a header line `# vane-partition-v1 parts=P method=metis|hash nodes=N`, then
/// one line `name<TAB>part` per node of the graph, in the graph's node order. Text, so a user can
/// read, diff and grep them; a partition is written once and reused by every job on the graph.
extension GraphPartition {
    public static let fileFormat = "vane-partition-v1"

    /// Writes the partition of `graph` to `path` (replacing it atomically). O(nodes).
    public func write(to path: String, graph: DirectedGraph) throws(PartitionError) {
        precondition(graph.nodeCount == assignment.count, "GraphPartition: made for another graph")
        var text = "# \(Self.fileFormat) parts=\(parts) method=\(method.rawValue) nodes=\(graph.nodeCount)\n"
        text.reserveCapacity(graph.nodeCount * 16)
        for (name, part) in zip(graph.nodeNames, assignment) { text += "\(name)\t\(part)\n" }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw PartitionError(.invalidFile, "cannot write \(path): \(error.localizedDescription)", location: SourceLocation(file: path))
        }
    }

    /// Reads a partition of `graph` from `path`, refusing a file that does not describe exactly its
    /// nodes: each error names the file and line. O(nodes).
    public static func load(from path: String, graph: DirectedGraph) throws(PartitionError) -> GraphPartition {
        let file: TextFile
        do { file = try TextFile(path: path) } catch {
            throw PartitionError(.invalidFile, error.message, location: SourceLocation(file: path))
        }
        func fail(_ line: Int, _ message: String) -> PartitionError {
            PartitionError(.invalidFile, "\(path):\(line): \(message)", location: SourceLocation(file: path, line: line))
        }
        var parts = 0, method = Method.hash
        var assignment = [Int32](repeating: -1, count: graph.nodeCount)
        var assigned = 0
        try file.forEachLine { number, line throws(PartitionError) in
            if number == 1 {
                let fields = line.split(separator: " ")
                guard fields.count >= 2, fields[0] == "#", fields[1] == Self.fileFormat else {
                    throw fail(1, "not a partition file: expected a first line \"# \(Self.fileFormat) parts=P method=M nodes=N\"")
                }
                var values: [String: String] = [:]
                for field in fields.dropFirst(2) {
                    let pair = field.split(separator: "=", maxSplits: 1)
                    if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
                }
                guard let p = values["parts"].flatMap(Int.init), p >= 1, p <= Int(Int32.max) else { throw fail(1, "parts= must be a positive integer") }
                guard let m = values["method"].flatMap(Method.init(rawValue:)) else {
                    throw fail(1, "method= must be one of \(Method.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let nodes = values["nodes"].flatMap(Int.init), nodes == graph.nodeCount else {
                    throw fail(1, "nodes=\(values["nodes"] ?? "?") but the graph has \(graph.nodeCount) nodes: a partition of another graph")
                }
                parts = p
                method = m
                return
            }
            if line.isEmpty { return }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw fail(number, "expected name<TAB>part, found \(fields.count) field(s)") }
            guard let id = graph.id(of: String(fields[0])) else { throw fail(number, "unknown node \"\(fields[0])\" (not in the graph)") }
            guard let part = Int32(fields[1]), part >= 0, Int(part) < parts else {
                throw fail(number, "part \"\(fields[1])\" of \(fields[0]) is not in 0...\(parts - 1)")
            }
            guard assignment[Int(id)] < 0 else { throw fail(number, "node \"\(fields[0])\" is listed twice") }
            assignment[Int(id)] = part
            assigned += 1
        }
        guard parts >= 1 else { throw PartitionError(.invalidFile, "\(path): empty file", location: SourceLocation(file: path)) }
        guard assigned == graph.nodeCount else {
            let missing = graph.nodeNames[assignment.firstIndex(of: -1)!]
            throw PartitionError(.invalidFile, "\(path): \(graph.nodeCount - assigned) node(s) of the graph have no part, e.g. \"\(missing)\"",
                                 location: SourceLocation(file: path))
        }
        return GraphPartition(parts: parts, method: method, assignment: assignment)
    }
}
