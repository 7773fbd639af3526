// Times the dual-embedding GNN's training step over batches sampled in advance, and exports the
// same batches for the PyTorch peer (Benchmarks/gnn_epoch.py). One JSON line on stdout.
//
//   GNNEpochBenchmark --edges FILE | --synthetic NODES:EDGES  [--batches N] [--repeats R] [--export FILE]
//   GNNEpochBenchmark --synthetic NODES:EDGES --write-edges FILE   (the graph as an edge list, for scale runs)
import BenchmarkSupport
import Foundation
import VaneGraph
import VaneRelated
import VaneTensor

AllocatorTuning.retainFreedBlocks()  // as the vane command line does at start

let graph: DirectedGraph
let label: String
if let path = option("--edges") {
    graph = try EdgeListLoader().load(path: path).graph
    label = (path as NSString).lastPathComponent
} else if let spec = option("--synthetic"), case let parts = spec.split(separator: ":").compactMap({ Int($0) }), parts.count == 2 {
    graph = try PowerLawGraphGenerator(nodes: parts[0], edges: parts[1]).generate(seed: 7)
    label = "synthetic power-law \(parts[0]):\(parts[1])"
} else {
    FileHandle.standardError.write("usage: GNNEpochBenchmark --edges FILE | --synthetic NODES:EDGES [--batches N] [--repeats R] [--export FILE]\n".data(using: .utf8)!)
    exit(2)
}
if let path = option("--write-edges") {
    var text = ""
    text.reserveCapacity(graph.edgeCount * 16)
    for edge in graph.edges { text += "\(graph.nodeNames[Int(edge.source)])\t\(graph.nodeNames[Int(edge.target)])\n" }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    print("{\"wrote\": \"\(path)\", \"nodes\": \(graph.nodeCount), \"edges\": \(graph.edgeCount)}")
    exit(0)
}
var configuration = DirectedGNNConfiguration()  // dual structure, degree-biased sampling, d = 64, 2 layers
if let size = option("--batch-size").flatMap(Int.init) { configuration.batchSize = size }
let batches = try SampledBatches(graph: graph, configuration: configuration, limit: option("--batches").flatMap(Int.init), seed: 1)
if let path = option("--export") {
    try batches.safetensors().write(to: URL(fileURLWithPath: path))
    print("{\"exported\": \"\(path)\", \"batches\": \(batches.count)}")
    exit(0)
}
let repeats = option("--repeats").flatMap(Int.init) ?? 3
var seconds: [Double] = [], losses: [Double] = []
for r in 0..<repeats {
    let (time, loss) = batches.trainOnePass(seed: UInt64(r + 1))
    seconds.append(time)
    losses.append(loss)
}
print("""
{"graph": "\(label)", "nodes": \(graph.nodeCount), "edges": \(graph.edgeCount), "batches": \(batches.count), \
"positives": \(batches.positiveEdges), "sampling_seconds": \(batches.samplingSeconds), "step_seconds": \(seconds), \
"mean_loss": \(losses), "peak_rss_mb": \(peakResidentMegabytes()), \
"plan_nodes_per_level": \(batches.meanPlanSize.nodesPerLevel), "plan_sampled_edges": \(batches.meanPlanSize.sampledEdges), \
"embedding_floats_per_node": \(batches.embeddingFloatsPerNode)}
""")
