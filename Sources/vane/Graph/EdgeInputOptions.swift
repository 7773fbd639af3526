import ArgumentParser
import Foundation
import VaneGraph

/// The edge list a graph command reads, and which of its relations to keep: shared by
/// `vane graph stats`, `evaluate` and `train`.
struct EdgeInputOptions: ParsableArguments {
    @Option(help: "Edge list file: source, target[, relation] per line (TSV/CSV, optionally .gz; # starts a comment).")
    var edges: String

    @Option(help: "Comma-separated relations (third column) to keep, e.g. also_bought,bought_together (default: every edge).")
    var relations: NameList?

    /// Loads the file with the relation filter; the error of an unknown relation names --relations.
    /// `recordingRelations` keeps every edge's relation in the report (for per-relation evaluation).
    func load(recordingRelations: Bool = false) throws -> (graph: DirectedGraph, report: EdgeListLoader.Report) {
        do {
            return try EdgeListLoader(relations: relations.map { Set($0.names) }, recordsEdgeRelations: recordingRelations).load(path: edges)
        } catch let error as GraphError where relations != nil && error.message.contains("no edge has relation") {
            throw ValidationError("--relations: \(error.message)")
        }
    }
}

/// A comma-separated list of non-empty names, `--relations a,b`.
struct NameList: ExpressibleByArgument {
    let names: [String]
    init?(argument: String) {
        let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        self.names = names
    }
}
