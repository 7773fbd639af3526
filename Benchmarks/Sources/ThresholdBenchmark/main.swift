// Fits EW-DPMT and MIST policies on N synthetic (score, uncertainty, label) rows and prints the
// seconds per fit, plain and by Learn then Test (the default of `vane thresholds fit`: a path of
// about 30 internal targets on the first half, tested on the second). Rows: score, uncertainty ~ U(0, 1), label ~ Bernoulli(score (1 - uncertainty / 2)),
// the distribution Benchmarks/thresholds.py draws for scikit-learn. One JSON line.
//
//   ThresholdBenchmark [--rows N] [--repeats R]
import BenchmarkSupport
import Foundation
import VaneDecisions
import VaneTensor

AllocatorTuning.retainFreedBlocks()  // as the vane command line does at start

let rows = option("--rows").flatMap(Int.init) ?? 10_000_000
let repeats = option("--repeats").flatMap(Int.init) ?? 3
var generator = SeededGenerator(seed: 1)
var scores = [Double](repeating: 0, count: rows), uncertainties = scores, labels = [Bool](repeating: false, count: rows)
for i in 0..<rows {
    scores[i] = generator.nextUnitDouble()
    uncertainties[i] = generator.nextUnitDouble()
    labels[i] = generator.nextUnitDouble() < scores[i] * (1 - 0.5 * uncertainties[i])
}
let data = try ScoredExamples(scores: scores, uncertainties: uncertainties, labels: labels)
let fitter = ThresholdPolicyFitter(targetPrecision: 0.8)
var result: [String: [Double]] = [:]
var recalls: [String: Double] = [:]
for kind in [ThresholdPolicy.Kind.ewDPMT, .mist] {
    for _ in 0..<repeats {
        let started = DispatchTime.now().uptimeNanoseconds
        let policy = try fitter.fit(kind, on: data)
        result[kind.rawValue, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        recalls[kind.rawValue] = policy.fit.recall
    }
}
for kind in [ThresholdPolicy.Kind.ewDPMT, .mist] {
    for _ in 0..<repeats {
        let started = DispatchTime.now().uptimeNanoseconds
        let (policy, _) = try fitter.fitLearnThenTest(kind, on: data)
        result[kind.rawValue + "_ltt", default: []].append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        recalls[kind.rawValue + "_ltt"] = policy.fit.recall
    }
}
print("{\"rows\": \(rows), \"ew-dpmt_seconds\": \(result["ew-dpmt"]!), \"mist_seconds\": \(result["mist"]!), "
      + "\"ew-dpmt_ltt_seconds\": \(result["ew-dpmt_ltt"]!), \"mist_ltt_seconds\": \(result["mist_ltt"]!), "
      + "\"ew-dpmt_recall\": \(recalls["ew-dpmt"]!), \"mist_recall\": \(recalls["mist"]!)}")
