// Exact related-items scans from 8-bit target embeddings (`CompactTargetScan`) against the float32
// scan (`RelatedItemModel.topTargets(for:)`) on a saved model, in batches as the server forms them:
// milliseconds per query, agreement of the answers, candidates rescored and fallbacks. Run on the
// model as saved (embeddings plus walk term) and on its embeddings alone (what a numpy or torch
// scan computes). One JSON line.
//
//   CompactScanBenchmark --model DIR [--queries 512] [--batches 1,16,64] [--k 10] [--repeats 3]
import BenchmarkSupport
import Dispatch
import Foundation
import VaneRelated
import VaneTensor

AllocatorTuning.retainFreedBlocks()  // as the vane command line does at start

guard let directory = option("--model") else {
    FileHandle.standardError.write(Data("usage: CompactScanBenchmark --model DIR [--queries N] [--batches 1,16,64] [--k K] [--repeats R]\n".utf8))
    exit(2)
}
let queryCount = option("--queries").flatMap(Int.init) ?? 512
let batchSizes = (option("--batches") ?? "1,16,64").split(separator: ",").compactMap { Int($0) }
let k = option("--k").flatMap(Int.init) ?? 10
let repeats = option("--repeats").flatMap(Int.init) ?? 3
let saved = try RelatedItemModel.load(from: directory)
let embeddingsOnly = RelatedItemModel(method: saved.method, graph: saved.graph, sourceEmbeddings: saved.sourceEmbeddings,
                                      targetEmbeddings: saved.targetEmbeddings)
let n = saved.itemCount
// The same sources the Python peer scans.
let sources = (0..<queryCount).map { Int32(($0 * 7919) % n) }

func seconds(_ body: () -> Void) -> Double {
    let started = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
}

var rows: [String] = []
for (label, model) in [("model", saved), ("embeddings", embeddingsOnly)] {
    let started = DispatchTime.now().uptimeNanoseconds
    let scan = CompactTargetScan(model: model)
    let quantiseSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    for batch in batchSizes {
        let groups = stride(from: 0, to: queryCount, by: batch).map { start in
            sources[start..<min(queryCount, start + batch)].map { TopTargetsQuery(source: $0, count: k) }
        }
        var floatTimes: [Double] = [], int8Times: [Double] = []
        var floatAnswers: [[(index: Int32, score: Float)]] = [], int8Answers: [[(index: Int32, score: Float)]] = []
        var statistics = CompactTargetScan.Statistics()
        for repeat_ in 0..<repeats {
            var floatRun: [[(index: Int32, score: Float)]] = [], int8Run: [[(index: Int32, score: Float)]] = []
            floatTimes.append(seconds { for group in groups { floatRun += model.topTargets(for: group) } } * 1000 / Double(queryCount))
            var runStatistics = CompactTargetScan.Statistics()
            int8Times.append(seconds {
                for group in groups {
                    let (answers, batchStatistics) = scan.topTargets(for: group)
                    int8Run += answers
                    runStatistics.queries += batchStatistics.queries
                    runStatistics.rescored += batchStatistics.rescored
                    runStatistics.fallbacks += batchStatistics.fallbacks
                }
            } * 1000 / Double(queryCount))
            if repeat_ == 0 { floatAnswers = floatRun; int8Answers = int8Run; statistics = runStatistics }
        }
        var found = 0, wanted = 0, identical = 0
        for (a, b) in zip(int8Answers, floatAnswers) {
            let exact = Set(b.map(\.index))
            found += a.filter { exact.contains($0.index) }.count
            wanted += exact.count
            if a.map(\.index) == b.map(\.index) { identical += 1 }
        }
        rows.append("""
        {"scores": "\(label)", "batch": \(batch), "float_ms_per_query": \(floatTimes), "int8_ms_per_query": \(int8Times), \
        "recall_at_k": \(Double(found) / Double(max(1, wanted))), "identical_lists": \(Double(identical) / Double(max(1, floatAnswers.count))), \
        "rescored_per_query": \(Double(statistics.rescored) / Double(max(1, statistics.queries))), \
        "fallback_share": \(Double(statistics.fallbacks) / Double(max(1, statistics.queries))), "quantise_seconds": \(quantiseSeconds)}
        """)
    }
}
let floatBytes = saved.targetEmbeddings.values.count * 4
let int8Bytes = saved.itemCount * ((saved.dimension + 1) / 2 * 2) + saved.itemCount * 8
print("""
{"model": "\(directory)", "items": \(n), "dimension": \(saved.dimension), "k": \(k), "queries": \(queryCount), \
"avx2": \(Int8PanelMatrix.usesAVX2), "float_target_bytes": \(floatBytes), "int8_target_bytes": \(int8Bytes), \
"cores": \(ProcessInfo.processInfo.activeProcessorCount), "rows": [\(rows.joined(separator: ", "))]}
""")
