// Times C = A B through VaneTensor for shapes given as MxKxN arguments and prints one JSON line per
// shape: {"shape": "MxKxN", "gflops": [per-run values]}, after a first line naming the OpenBLAS kernels
// in use: {"blas_core": "SkylakeX", "replaced_fallback": true}. The Python driver `matmul.py` runs this
// and numpy on the same shapes and prints the ratio.
import BenchmarkSupport
import Foundation
import VaneTensor

AllocatorTuning.retainFreedBlocks()  // as the vane command line does at start

let arguments = CommandLine.arguments.dropFirst()
let runs = Int(ProcessInfo.processInfo.environment["VANE_BENCH_RUNS"] ?? "") ?? 7
var generator = SeededGenerator(seed: 1)
print("{\"blas_core\": \"\(BLASBackend.coreName)\", \"replaced_fallback\": \(BLASBackend.replacedFallback)}")
for shape in arguments {
    let parts = shape.split(separator: "x").compactMap { Int($0) }
    guard parts.count == 3 else { fatalError("shape must be MxKxN, got \(shape)") }
    let (m, k, n) = (parts[0], parts[1], parts[2])
    let a = Matrix.uniform(rows: m, columns: k, in: -1...1, using: &generator)
    let b = Matrix.uniform(rows: k, columns: n, in: -1...1, using: &generator)
    var c = Matrix(rows: m, columns: n)
    let flops = 2.0 * Double(m) * Double(k) * Double(n)
    // Repeat inside a run so each timing covers at least ~50 ms.
    let repeats = max(1, Int(5e9 / flops))
    MatrixProduct.accumulate(a, b, into: &c, beta: 0)  // warm-up
    var rates: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats { MatrixProduct.accumulate(a, b, into: &c, beta: 0) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(flops * Double(repeats) / seconds / 1e9)
    }
    print("{\"shape\": \"\(shape)\", \"gflops\": [\(rates.map { String(format: "%.2f", $0) }.joined(separator: ", "))]}")
}
