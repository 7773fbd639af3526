import Foundation
import VaneGraph

/// The `--json` shape of `vane graph stats`.
struct GraphStatsOutput: Encodable {
    struct Quantiles: Encodable {
        let min: Int, median: Int, p90: Int, p99: Int, max: Int, mean: Double
        init(_ q: GraphStatistics.Quantiles) {
            (min, median, p90, p99, max, mean) = (q.minimum, q.median, q.p90, q.p99, q.maximum, q.mean)
        }
    }
    let file: String
    let nodes: Int
    let edges: Int
    let selfLoopsDropped: Int
    let duplicatesDropped: Int
    let relations: [String: Int]
    let reciprocity: Double
    let outDegree: Quantiles
    let inDegree: Quantiles
    let powerLawExponent: Double?
    let powerLawMinimumDegree: Int?
    let seconds: Double

    init(file: String, graph: DirectedGraph, report: EdgeListLoader.Report, statistics: GraphStatistics, seconds: Double) {
        self.file = file
        nodes = graph.nodeCount
        edges = graph.edgeCount
        selfLoopsDropped = report.selfLoopsDropped
        duplicatesDropped = report.duplicatesDropped
        relations = report.relationCounts
        reciprocity = statistics.reciprocity
        outDegree = Quantiles(statistics.outDegree)
        inDegree = Quantiles(statistics.inDegree)
        powerLawExponent = statistics.totalDegreeFit?.exponent
        powerLawMinimumDegree = statistics.totalDegreeFit?.minimumDegree
        self.seconds = seconds
    }
}
