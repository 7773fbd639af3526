import ArgumentParser
import Foundation
import VaneGraph

/// `vane graph stats`: size, reciprocity, degree distribution and power-law exponent of an edge list.
struct GraphStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise a directed edge list.",
        discussion: """
        The edge list has one `source<TAB>target[<TAB>relation]` per line (CSV and whitespace also work, \
        gzip is detected, `#` lines are comments). Self-loops and repeated edges are dropped and counted.

        Example:
          vane graph stats --edges ../shared/data/debian-packages.edges.tsv.gz
        """
    )

    @OptionGroup var input: EdgeInputOptions
    var edges: String { input.edges }

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let started = Date()
        let (graph, report) = try input.load()
        let statistics = GraphStatistics(graph: graph)
        let seconds = Date().timeIntervalSince(started)
        if json {
            try printJSON(GraphStatsOutput(file: edges, graph: graph, report: report, statistics: statistics, seconds: seconds))
            return
        }
        func quantiles(_ q: GraphStatistics.Quantiles) -> String {
            "min \(q.minimum)  median \(q.median)  p90 \(q.p90)  p99 \(q.p99)  max \(q.maximum)  mean \(String(format: "%.2f", q.mean))"
        }
        print("file         \(edges)")
        print("nodes        \(graph.nodeCount)")
        print("edges        \(graph.edgeCount)  (dropped \(report.selfLoopsDropped) self-loops, \(report.duplicatesDropped) duplicates)")
        if !report.relationCounts.isEmpty {
            let relations = report.relationCounts.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
            print("relations    \(relations.joined(separator: ", "))")
        }
        print("reciprocity  \(String(format: "%.4f", statistics.reciprocity))  (share of edges whose reverse is an edge)")
        print("out-degree   \(quantiles(statistics.outDegree))")
        print("in-degree    \(quantiles(statistics.inDegree))")
        print("sinks        \(statistics.sinkCount) nodes without out-edges; \(statistics.sourceOnlyCount) without in-edges")
        if let fit = statistics.totalDegreeFit {
            print("power law    alpha \(String(format: "%.3f", fit.exponent)) for total degree >= \(fit.minimumDegree) (\(fit.tailCount) nodes, KS \(String(format: "%.3f", fit.ksDistance)))")
        } else {
            print("power law    too few nodes to fit")
        }
        print("loaded in    \(String(format: "%.2f", seconds)) s")
    }
}

