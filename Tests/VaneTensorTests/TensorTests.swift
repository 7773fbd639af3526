import Foundation
import Testing
import VaneTensor

@Suite("Tensor core")
struct TensorTests {
    @Test func matrixProductMatchesHandComputed() {
        let a = Matrix([[1, 2], [3, 4], [5, 6]])
        let b = Matrix([[1, 0, -1], [2, 1, 0]])
        #expect(MatrixProduct.forward(a, b) == Matrix([[5, 2, -1], [11, 4, -3], [17, 6, -5]]))
        #expect(MatrixProduct.forward(a, a, transposeA: true) == Matrix([[35, 44], [44, 56]]))
        #expect(MatrixProduct.forward(a, a, transposeB: true).row(0) == [5, 11, 17])
    }

    @Test func matrixProductMatchesNaiveOnLargerShapes() {
        let a = randomMatrix(70, 33, seed: 1), b = randomMatrix(33, 41, seed: 2)
        let c = MatrixProduct.forward(a, b)
        var worst: Float = 0
        for i in 0..<70 {
            for j in 0..<41 {
                var total: Float = 0
                for k in 0..<33 { total += a[i, k] * b[k, j] }
                worst = max(worst, abs(total - c[i, j]))
            }
        }
        #expect(worst < 1e-4)
    }

    /// Shapes big enough to take the parallel paths (row split and inner-dimension split), with
    /// every transpose combination, against a naive triple loop.
    @Test(arguments: [(1000, 64, 64), (16, 10_000, 16)], [false, true])
    func parallelPathsMatchNaive(shape: (Int, Int, Int), transposed: Bool) {
        let (m, k, n) = shape
        let a = randomMatrix(transposed ? k : m, transposed ? m : k, seed: 5)
        let b = randomMatrix(transposed ? n : k, transposed ? k : n, seed: 6)
        var c = randomMatrix(m, n, seed: 7)
        let before = c
        MatrixProduct.accumulate(a, b, into: &c, transposeA: transposed, transposeB: transposed, alpha: 0.5, beta: 2)
        var worst: Float = 0
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    total += Double(transposed ? a[p, i] : a[i, p]) * Double(transposed ? b[j, p] : b[p, j])
                }
                let expected = 0.5 * total + 2 * Double(before[i, j])
                worst = max(worst, Float(abs(expected - Double(c[i, j])) / max(1, abs(expected))))
            }
        }
        #expect(worst < 1e-4)
    }

    /// Every shape from 1 to 40 in each dimension class (OpenBLAS has separate small-matrix, edge and
    /// GEMV kernels per core; BLASBackend may select a core other than the library's default), with
    /// all transposes, alpha and beta, against a naive product in double precision.
    @Test func kernelSweepMatchesNaive() {
        var generator = SeededGenerator(seed: 11)
        var worst = 0.0
        for trial in 0..<240 {
            let m = 1 + generator.nextIndex(below: trial < 200 ? 40 : 200)
            let k = 1 + generator.nextIndex(below: trial < 200 ? 40 : 200)
            let n = 1 + generator.nextIndex(below: trial < 200 ? 40 : 200)
            let transposeA = trial % 2 == 1, transposeB = trial % 4 >= 2
            let alpha: Float = trial % 3 == 0 ? 1 : 0.75, beta: Float = [0, 1, -0.5][trial % 3]
            let a = randomMatrix(transposeA ? k : m, transposeA ? m : k, seed: UInt64(3 * trial))
            let b = randomMatrix(transposeB ? n : k, transposeB ? k : n, seed: UInt64(3 * trial + 1))
            var c = randomMatrix(m, n, seed: UInt64(3 * trial + 2))
            let before = c
            MatrixProduct.accumulate(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
            for i in 0..<m {
                for j in 0..<n {
                    var total = 0.0
                    for p in 0..<k {
                        total += Double(transposeA ? a[p, i] : a[i, p]) * Double(transposeB ? b[j, p] : b[p, j])
                    }
                    let expected = Double(alpha) * total + Double(beta) * Double(before[i, j])
                    worst = max(worst, abs(expected - Double(c[i, j])) / (1 + sqrt(Double(k))))
                }
            }
        }
        #expect(worst < 1e-4)
    }

    /// On an x86-64 CPU with AVX2 and FMA, OpenBLAS must not be left on its generic SSE3 kernels
    /// (unless the environment chose a core, which BLASBackend respects).
    @Test func blasRunsTheCPUsVectorKernels() throws {
        #expect(!BLASBackend.coreName.isEmpty)
        #if arch(x86_64) && os(Linux)
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        if flags.contains("avx2") && flags.contains("fma") {
            #expect(BLASBackend.coreName != "Prescott", "OpenBLAS fell back to its SSE3 kernels on an AVX2 CPU")
        }
        #endif
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let c = MatrixProduct.forward(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 3))
        #expect(c == Matrix(rows: 2, columns: 3))
    }

    @Test func seededGeneratorIsDeterministicAndSeedSensitive() {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
        let a = (0..<8).map { _ in first.next() }
        let b = (0..<8).map { _ in second.next() }
        let c = (0..<8).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
        // Same seed gives the same bits for initialisers too.
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
        #expect(Matrix.xavierUniform(rows: 8, columns: 4, using: &g1) == Matrix.xavierUniform(rows: 8, columns: 4, using: &g2))
    }

    /// Skipping k gaussians leaves the generator where drawing them does, for any k and seed.
    @Test(arguments: [0, 1, 2, 63, 1000])
    func skippingGaussiansLandsWhereDrawingThemDoes(count: Int) {
        for seed in [UInt64(1), 8, 12345] {
            var drawn = SeededGenerator(seed: seed), skipped = SeededGenerator(seed: seed)
            for _ in 0..<count { _ = drawn.nextGaussian() }
            skipped.skipGaussians(count)
            #expect(drawn.nextGaussian() == skipped.nextGaussian() && drawn.next() == skipped.next(), "seed \(seed), \(count) skipped")
        }
    }

    @Test func generatorDistributionsAreSane() {
        var generator = SeededGenerator(seed: 1)
        let n = 20_000
        var sum = 0.0, sumSquares = 0.0, unitMax: Float = 0
        for _ in 0..<n {
            let x = generator.nextGaussian()
            sum += x
            sumSquares += x * x
            unitMax = max(unitMax, generator.nextUnitFloat())
        }
        #expect(abs(sum / Double(n)) < 0.03)
        #expect(abs(sumSquares / Double(n) - 1) < 0.05)
        #expect(unitMax < 1)
        let counts = (0..<3000).reduce(into: [0, 0, 0]) { partial, _ in partial[generator.nextIndex(below: 3)] += 1 }
        #expect(counts.allSatisfy { $0 > 900 && $0 < 1100 })
    }

    @Test func xavierBound() {
        var generator = SeededGenerator(seed: 3)
        let w = Matrix.xavierUniform(rows: 10, columns: 14, using: &generator)
        let bound = Float((6.0 / 24.0).squareRoot())
        #expect(w.values.allSatisfy { abs($0) <= bound })
    }

    @Test func adamMinimisesAQuadratic() {
        // f(p) = sum (p - target)^2, gradient 2 (p - target).
        var parameters = Matrix([[5, -3, 0.5]])
        let target = Matrix([[1, 2, -1]])
        var optimiser = Adam(parameterCount: 3, configuration: .init(learningRate: 0.1))
        for _ in 0..<500 {
            var gradient = parameters - target
            gradient.scale(by: 2)
            optimiser.update(&parameters, gradient: gradient)
        }
        #expect(maxRelativeError(parameters, target) < 1e-2)
    }

    @Test func adamFirstStepMovesByLearningRate() {
        // With bias correction the first step is lr * sign(g) (up to epsilon).
        var parameters = Matrix([[0, 0]])
        var optimiser = Adam(parameterCount: 2, configuration: .init(learningRate: 0.05))
        optimiser.update(&parameters, gradient: Matrix([[3, -0.2]]))
        #expect(abs(parameters[0, 0] + 0.05) < 1e-6)
        #expect(abs(parameters[0, 1] - 0.05) < 1e-6)
    }

    /// The executables' malloc settings take effect on glibc (unless the environment tunes malloc).
    @Test func allocatorTuningAppliesOnGlibc() {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        guard !(environment["GLIBC_TUNABLES"] ?? "").contains("glibc.malloc"), environment["MALLOC_MMAP_THRESHOLD_"] == nil,
              environment["MALLOC_TRIM_THRESHOLD_"] == nil else { return }
        #expect(AllocatorTuning.retainFreedBlocks())
        #endif
    }

    /// The in-place (SIMD, two-core) ReLU equals the copying one, on a small odd size and on one
    /// large enough to split across cores, with exact zeros in the input.
    @Test(arguments: [37, (1 << 20) + 7])
    func inPlaceReLUMatchesCopying(count: Int) {
        var generator = SeededGenerator(seed: 3)
        let input = Matrix(rows: 1, columns: count, values: (0..<count).map { i in i % 5 == 0 ? 0 : Float(generator.nextGaussian()) })
        let upstream = Matrix(rows: 1, columns: count, values: (0..<count).map { _ in Float(generator.nextGaussian()) })
        var output = input
        ReLU.apply(&output)
        #expect(output == ReLU.forward(input))
        var gradient = upstream
        ReLU.backward(&gradient, output: output)
        #expect(gradient == ReLU.backward(outputGradient: upstream, output: output))
    }

    @Test func rowGatherScatterAddsDuplicatesInPlace() {
        var gradient = Matrix([[1, 1], [0, 0], [0, 0]])
        RowGather.accumulateBackward(outputGradient: Matrix([[1, 2], [3, 4], [5, 6]]), indices: [2, 0, 2], into: &gradient)
        #expect(gradient == Matrix([[4, 5], [0, 0], [6, 8]]))
        #expect(RowGather.denseBackward(outputGradient: Matrix([[1, 2], [3, 4]]), indices: [1, 1], rowCount: 2)
                == Matrix([[0, 0], [4, 6]]))
        let distinct = SparseRowGradient(distinctIndices: [3, 1], gradients: Matrix([[1, 2], [3, 4]]))
        #expect(distinct == SparseRowGradient(indices: [3, 1], rowGradients: Matrix([[1, 2], [3, 4]])))
    }

    @Test func sparseAdamTouchesOnlyGivenRows() {
        var table = Matrix(rows: 4, columns: 2, repeating: 1)
        var optimiser = SparseAdam(rows: 4, columns: 2, configuration: .init(learningRate: 0.1))
        let gradient = SparseRowGradient(indices: [2, 2], rowGradients: Matrix([[1, -1], [1, -1]]))
        optimiser.update(&table, gradient: gradient)
        #expect(table.row(0) == [1, 1])
        #expect(table.row(1) == [1, 1])
        #expect(table.row(3) == [1, 1])
        #expect(abs(table[2, 0] - 0.9) < 1e-6 && abs(table[2, 1] - 1.1) < 1e-6)
    }

    @Test func sparseAdamMatchesDenseAdamWhenAllRowsTouched() {
        // 11 columns: one 8-wide SIMD block plus a scalar tail.
        var dense = randomMatrix(3, 11, seed: 4), sparse = dense
        var denseOptimiser = Adam(parameterCount: 33)
        var sparseOptimiser = SparseAdam(rows: 3, columns: 11)
        for step in 0..<5 {
            let gradient = randomMatrix(3, 11, seed: UInt64(100 + step))
            denseOptimiser.update(&dense, gradient: gradient)
            sparseOptimiser.update(&sparse, gradient: SparseRowGradient(indices: [0, 1, 2], rowGradients: gradient))
        }
        #expect(maxRelativeError(dense, sparse) < 1e-6)
    }

    @Test func binaryCrossEntropyHandValues() {
        // z = 0: loss = log 2 for either label; large |z| stays finite.
        #expect(abs(BinaryCrossEntropy.loss(logits: [0], labels: [1]) - 0.693147) < 1e-5)
        #expect(abs(BinaryCrossEntropy.loss(logits: [0, 0], labels: [1, 0], weights: [2, 0]) - 0.693147) < 1e-5)
        let extreme = BinaryCrossEntropy.loss(logits: [100, -100], labels: [0, 1])
        #expect(abs(extreme - 100) < 1e-3)
        #expect(Sigmoid.value(-100) >= 0 && Sigmoid.value(100) <= 1)
    }

    @Test func transposeRoundTrip() {
        let a = randomMatrix(3, 5, seed: 9)
        #expect(a.transposed().transposed() == a)
        #expect(a.transposed()[4, 2] == a[2, 4])
    }
}

@Suite("safetensors")
struct SafeTensorsTests {
    @Test func roundTrip() throws {
        let matrix = randomMatrix(3, 4, seed: 1)
        let data = try SafeTensors.encode(["weights": .float32(matrix), "ids": .int32([1, -2, 3, 4], shape: [2, 2])],
                                          metadata: ["format": "vane"])
        #expect(data.count % 4 == 0)
        let (tensors, metadata) = try SafeTensors.decode(data, file: "m.safetensors")
        #expect(tensors["weights"] == .float32(matrix))
        #expect(tensors["ids"] == .int32([1, -2, 3, 4], shape: [2, 2]))
        #expect(metadata == ["format": "vane"])
    }

    @Test func truncatedFileIsAnError() throws {
        let data = try SafeTensors.encode(["w": .float32(randomMatrix(2, 2, seed: 2))])
        #expect(throws: SafeTensors.FormatError.self) { _ = try SafeTensors.decode(data.prefix(data.count - 4), file: "m") }
        #expect(throws: SafeTensors.FormatError.self) { _ = try SafeTensors.decode(Data([1, 2, 3]), file: "m") }
    }
}
