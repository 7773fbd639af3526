// Full-graph top-K: the k best targets of every item by s_u . t_v (one GEMM per batch of 512 sources
// and a bounded heap per row, on all cores), on seeded random embeddings. One JSON line.
//
//   TopKBenchmark --nodes N [--dimension D] [--k K] [--repeats R]
import BenchmarkSupport
import Foundation
import VaneGraph
import VaneRelated
import VaneTensor

AllocatorTuning.retainFreedBlocks()  // as the vane command line does at start

let nodes = option("--nodes").flatMap(Int.init) ?? 60_513
let dimension = option("--dimension").flatMap(Int.init) ?? 64
let k = option("--k").flatMap(Int.init) ?? 10
let repeats = option("--repeats").flatMap(Int.init) ?? 3
var generator = SeededGenerator(seed: 1)
let source = Matrix.normal(rows: nodes, columns: dimension, standardDeviation: 1, using: &generator)
let target = Matrix.normal(rows: nodes, columns: dimension, standardDeviation: 1, using: &generator)
let graph = DirectedGraph(nodeNames: (0..<nodes).map { "n\($0)" }, edges: [])
let model = RelatedItemModel(method: "benchmark", graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
var seconds: [Double] = []
var checksum = 0.0
for _ in 0..<repeats {
    let started = DispatchTime.now().uptimeNanoseconds
    let all = model.recommendAll(count: k, excludingKnown: false)
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    checksum = all.prefix(100).reduce(0) { $0 + Double($1.first?.score ?? 0) }
}
// Single-item queries, as the server answers them.
var single: [Double] = []
for r in 0..<repeats {
    let started = DispatchTime.now().uptimeNanoseconds
    for q in 0..<200 { _ = try model.recommend(for: "n\((q * 7919 + r) % nodes)", count: k, excludingKnown: false) }
    single.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 / 200)
}
print("{\"nodes\": \(nodes), \"dimension\": \(dimension), \"k\": \(k), \"all_seconds\": \(seconds), \"single_query_seconds\": \(single), \"checksum\": \(checksum)}")
