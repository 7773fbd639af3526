// Times the delayed-feedback replay of one method (ES-DFM by default) on a simulated click log, and
// exports the same stream for the PyTorch peer (Benchmarks/replay_peer.py): the click features (CSR),
// the pretrained logistic model both start from, every step's scored clicks and its training samples
// (rows, labels, weights), and each click's eventual label. One JSON line on stdout.
//
//   ReplayBenchmark [--clicks N] [--days D] [--method NAME] [--repeats R] [--export FILE]
import BenchmarkSupport
import Foundation
import VaneConversions
import VaneTensor

AllocatorTuning.retainFreedBlocks()  // as the vane command line does at start

var simulation = ConversionSimulator.Configuration()
simulation.clicks = option("--clicks").flatMap(Int.init) ?? 1_000_000
simulation.days = option("--days").flatMap(Int.init) ?? 60
guard let method = DelayedFeedbackMethod(rawValue: option("--method") ?? "esdfm") else {
    FileHandle.standardError.write("usage: ReplayBenchmark [--clicks N] [--days D] [--method NAME] [--repeats R] [--export FILE]\n".data(using: .utf8)!)
    exit(2)
}
let repeats = option("--repeats").flatMap(Int.init) ?? 3
let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("vane-replay-\(getpid()).csv").path
_ = try ConversionSimulator(configuration: simulation).write(to: logPath, seed: 1)
let log = try ClickLog.load(path: logPath, format: .vane)
try? FileManager.default.removeItem(atPath: logPath)
let replay = try StreamReplay()
let preparation = try replay.prepare(log, seed: 1)

if let path = option("--export") {
    let steps = try preparation.steps(of: method)
    guard let start = preparation.pretrainedLogistic else { fatalError("the benchmark replays the logistic model") }
    func int32(_ values: [Int]) -> SafeTensors.Tensor { .int32(values.map { Int32($0) }, shape: [values.count]) }
    func offsets(_ counts: [Int]) -> SafeTensors.Tensor {
        var running = 0
        return int32([0] + counts.map { running += $0; return running })
    }
    let features = log.features
    let tensors: [String: SafeTensors.Tensor] = [
        "row_offsets": int32(features.rowOffsets),
        "columns": .int32(features.columnIndices, shape: [features.columnIndices.count]),
        "values": .float32(Matrix(rows: 1, columns: features.values.count, values: features.values)),
        "coefficients": .float32(Matrix(rows: 1, columns: start.coefficients.count, values: start.coefficients)),
        "bias": .float32(Matrix(rows: 1, columns: 1, values: [start.bias])),
        "truth": int32((0..<log.count).map { log.converts($0, within: replay.configuration.attributionHours) ? 1 : 0 }),
        "scored": int32(steps.flatMap(\.scored)),
        "scored_offsets": offsets(steps.map(\.scored.count)),
        "rows": int32(steps.flatMap(\.rows)),
        "labels": .float32(Matrix(rows: 1, columns: steps.reduce(0) { $0 + $1.labels.count }, values: steps.flatMap(\.labels))),
        "weights": .float32(Matrix(rows: 1, columns: steps.reduce(0) { $0 + $1.weights.count }, values: steps.flatMap(\.weights))),
        "sample_offsets": offsets(steps.map(\.rows.count)),
    ]
    let model = replay.configuration.model
    try SafeTensors.encode(tensors, metadata: ["batch_size": "\(model.batchSize)", "learning_rate": "\(model.learningRate)", "l2": "\(model.l2)"])
        .write(to: URL(fileURLWithPath: path))
    print("{\"exported\": \"\(path)\", \"steps\": \(steps.count), \"samples\": \(steps.reduce(0) { $0 + $1.rows.count }), \"scored\": \(steps.reduce(0) { $0 + $1.scored.count })}")
    exit(0)
}

var seconds: [Double] = []
var result: StreamReplay.MethodResult?
for _ in 0..<repeats {
    let started = DispatchTime.now().uptimeNanoseconds
    result = replay.replay(method, preparation).0
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
}
print("{\"clicks\": \(log.count), \"steps\": \(preparation.stepCount), \"method\": \"\(method.rawValue)\", \"seconds\": \(seconds), "
      + "\"auc\": \(result!.auc), \"nll\": \(result!.nll), \"peak_rss_mb\": \(peakResidentMegabytes())}")
