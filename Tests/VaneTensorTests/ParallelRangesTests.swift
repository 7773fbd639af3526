import Testing
@testable import VaneTensor

/// The element-wise kernels that run on all cores give the serial loop's result bit for bit.
@Suite("Parallel element-wise kernels")
struct ParallelRangesTests {
    @Test func rangesCoverEachIndexOnce() {
        for count in [0, 1, 7, 65_535, 65_536, 100_003] {
            let seen = SharedCounts(count)
            ParallelRanges.forEach(count: count) { range in for i in range { seen.increment(i) } }
            #expect(seen.values.allSatisfy { $0 == 1 }, "count \(count)")
        }
    }

    @Test func scatterAddOnAllCoresEqualsTheSerialLoop() {
        var generator = SeededGenerator(seed: 5)
        let rows = 1_000, d = 48, b = 4_096   // b x d >= 65,536: the parallel path
        let source = Matrix.normal(rows: b, columns: d, standardDeviation: 1, using: &generator)
        // Many duplicates, so the order of additions into one row matters.
        let indices = (0..<b).map { _ in Int32(generator.nextIndex(below: rows)) }
        var start = Matrix.normal(rows: rows, columns: d, standardDeviation: 1, using: &generator)
        var expected = start
        for (i, index) in indices.enumerated() {
            for c in 0..<d { expected.values[Int(index) * d + c] += source.values[i * d + c] }
        }
        RowGather.accumulateBackward(outputGradient: source, indices: indices, into: &start)
        #expect(start.values == expected.values)
        let gathered = RowGather.forward(expected, indices: indices)
        for (i, index) in indices.enumerated() {
            #expect(Array(gathered.values[(i * d)..<((i + 1) * d)]) == Array(expected.values[(Int(index) * d)..<((Int(index) + 1) * d)]))
        }
    }

    @Test func axpyScaleAndRowScalingEqualTheSerialLoops() {
        var generator = SeededGenerator(seed: 6)
        let x = Matrix.normal(rows: 2_000, columns: 64, standardDeviation: 1, using: &generator)
        let y = Matrix.normal(rows: 2_000, columns: 64, standardDeviation: 1, using: &generator)
        let coefficients = (0..<2_000).map { _ in Float(generator.nextGaussian()) }
        var added = x
        added.add(y, scaledBy: 0.37)
        #expect(added.values == zip(x.values, y.values).map { $0 + 0.37 * $1 })
        var scaled = x
        scaled.scale(by: 0.25)
        #expect(scaled.values == x.values.map { $0 * 0.25 })
        var rowScaled = x
        rowScaled.addScaledRows(y, coefficients: coefficients)
        #expect(rowScaled.values == x.values.indices.map { x.values[$0] + coefficients[$0 / 64] * y.values[$0] })
    }

    @Test func denseAdamOnAllCoresEqualsTheSerialFormula() {
        var generator = SeededGenerator(seed: 7)
        let n = 300_000
        var parameters = Matrix.normal(rows: n, columns: 1, standardDeviation: 1, using: &generator)
        let gradient = Matrix.normal(rows: n, columns: 1, standardDeviation: 1, using: &generator)
        let configuration = AdamConfiguration(learningRate: 0.01)
        var adam = Adam(parameterCount: n, configuration: configuration)
        let before = parameters
        adam.update(&parameters, gradient: gradient)
        let (stepSize, correction2, decay) = configuration.constants(step: 1)
        let c = configuration
        let expected = (0..<n).map { i -> Float in
            let m = c.beta1 * 0 + (1 - c.beta1) * gradient.values[i]
            let v = c.beta2 * 0 + (1 - c.beta2) * gradient.values[i] * gradient.values[i]
            return before.values[i] * decay - stepSize * m / ((v / correction2).squareRoot() + c.epsilon)
        }
        #expect(parameters.values == expected)
    }
}

/// Per-index counters written from several threads, each index by one range only.
private final class SharedCounts: @unchecked Sendable {
    // Unchecked: ParallelRanges gives each index to exactly one range, so no two threads write one
    // slot, and the buffer is fixed for the object's life (no reallocation, no exclusivity checks).
    private let buffer: UnsafeMutableBufferPointer<Int>
    init(_ count: Int) { buffer = .allocate(capacity: count); buffer.initialize(repeating: 0) }
    deinit { buffer.deallocate() }
    func increment(_ i: Int) { buffer[i] += 1 }
    var values: [Int] { Array(buffer) }
}
