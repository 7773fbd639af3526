import VaneIO

/// Reads an edge list: one `source<sep>target[<sep>weight-or-relation ...]` per line.
///
/// Accepts TSV, CSV or whitespace-separated text, optionally gzip-compressed; lines starting with
/// `#` and blank lines are skipped; node names are arbitrary strings mapped to dense ids in order of
/// first appearance. A third column is kept as the edge's relation (e.g. `depends`) or weight.
/// Self-loops and repeated edges are dropped and counted; with `relations` set, only edges of those
/// relations are kept (e.g. `bought_together` of an Amazon graph). O(E log E).
public struct EdgeListLoader: Sendable {
    /// What loading found besides the graph itself.
    public struct Report: Sendable, Equatable {
        public var dataLines = 0
        public var selfLoopsDropped = 0
        public var duplicatesDropped = 0
        /// Count of kept edges per value of the third column (empty when there is none).
        public var relationCounts: [String: Int] = [:]
        /// Edges left out because their relation is not in `relations`.
        public var relationFiltered = 0
        /// The relation (third column) of every kept edge that has one, when `recordsEdgeRelations`.
        public var edgeRelations: [DirectedGraph.Edge: String] = [:]
    }

    /// Field separator; nil infers it from the file name or the first data line.
    public var delimiter: FieldDelimiter?
    /// Keep only edges whose third column is one of these (nil keeps every edge).
    public var relations: Set<String>?
    /// Whether `Report.edgeRelations` is filled (about 50 bytes an edge, so off unless asked for).
    public var recordsEdgeRelations: Bool

    public init(delimiter: FieldDelimiter? = nil, relations: Set<String>? = nil, recordsEdgeRelations: Bool = false) {
        self.delimiter = delimiter
        self.relations = relations
        self.recordsEdgeRelations = recordsEdgeRelations
    }

    /// Loads a file; errors name the file and line.
    public func load(path: String) throws -> (graph: DirectedGraph, report: Report) {
        try load(TextFileStream(path: path))
    }

    /// Loads already-read text (tests, stdin).
    public func load(_ file: some TextLineSource) throws -> (graph: DirectedGraph, report: Report) {
        var names: [String] = []
        var idByName: [String: Int32] = [:]
        var edges: [DirectedGraph.Edge] = []
        var seen = Set<DirectedGraph.Edge>()
        var report = Report()
        var seenRelations = Set<String>()
        var resolvedDelimiter = delimiter

        func id(for name: Substring) -> Int32 {
            let key = String(name)
            if let existing = idByName[key] { return existing }
            let new = Int32(names.count)
            idByName[key] = new
            names.append(key)
            return new
        }

        try file.forEachLine { (lineNumber, rawLine) throws(InputError) in
            let line = rawLine.drop(while: { $0 == " " })
            if line.isEmpty || line.hasPrefix("#") { return }
            let separator = resolvedDelimiter ?? FieldDelimiter.infer(path: file.path, sampleLine: line)
            resolvedDelimiter = separator
            let fields = separator.split(line)
            guard fields.count >= 2 else {
                throw InputError(.malformedLine, file: file.path, line: lineNumber,
                                 "expected at least 2 fields (source, target), found \(fields.count): \"\(line.prefix(80))\"")
            }
            let sourceName = fields[0].trimmingSpaces(), targetName = fields[1].trimmingSpaces()
            guard !sourceName.isEmpty, !targetName.isEmpty else {
                throw InputError(.malformedLine, file: file.path, line: lineNumber, "empty node name")
            }
            report.dataLines += 1
            let relation = fields.count >= 3 ? String(fields[2].trimmingSpaces()) : nil
            if let relation { seenRelations.insert(relation) }
            if let relations, !relations.contains(relation ?? "") {
                report.relationFiltered += 1
                return
            }
            if names.count >= Int(Int32.max) - 2 {
                throw InputError(.invalidValue, file: file.path, line: lineNumber, "more than 2^31 - 3 nodes")
            }
            let edge = DirectedGraph.Edge(source: id(for: sourceName), target: id(for: targetName))
            if edge.source == edge.target {
                report.selfLoopsDropped += 1
                return
            }
            guard seen.insert(edge).inserted else {
                report.duplicatesDropped += 1
                return
            }
            edges.append(edge)
            if let relation {
                if recordsEdgeRelations { report.edgeRelations[edge] = relation }
                report.relationCounts[relation, default: 0] += 1
            }
        }
        if let relations, let missing = relations.sorted().first(where: { !seenRelations.contains($0) }) {
            let known = seenRelations.sorted().joined(separator: ", ")
            throw GraphError(.emptyGraph, "\(file.path): no edge has relation \"\(missing)\"; relations in the file: \(known.isEmpty ? "none (no third column)" : known)")
        }
        guard !edges.isEmpty else {
            throw GraphError(.emptyGraph, "\(file.path): no edges (only comments, blank lines or self-loops)")
        }
        return (DirectedGraph(nodeNames: names, edges: edges), report)
    }
}
