import COpenBLAS
import Dispatch
import Foundation

/// Matrix product through OpenBLAS `cblas_sgemm`: C = op(A) op(B), op = identity or transpose.
///
/// Shapes: A is (m x k) (or k x m when transposed), B is (k x n) (or n x k); C is (m x n).
/// Cost O(m n k) flops x2; OpenBLAS reaches 110-210 GFLOP/s on this project's 2-core machines
/// (with the CPU's own kernels: see `BLASBackend`).
public enum MatrixProduct {
    /// C = op(A) op(B).
    public static func forward(_ a: Matrix, _ b: Matrix,
                               transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kB, "MatrixProduct: inner dimensions differ (\(k) vs \(kB))")
        var c = Matrix(rows: m, columns: n)
        accumulate(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, beta: 0)
        return c
    }

    /// C = alpha op(A) op(B) + beta C, in place (no allocation).
    public static func accumulate(_ a: Matrix, _ b: Matrix, into c: inout Matrix,
                                  transposeA: Bool = false, transposeB: Bool = false,
                                  alpha: Float = 1, beta: Float = 1) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition(c.rows == m && c.columns == n, "MatrixProduct: output must be \(m)x\(n)")
        precondition((transposeB ? b.columns : b.rows) == k, "MatrixProduct: inner dimensions differ")
        if m == 0 || n == 0 { return }
        if k == 0 {
            c.scale(by: beta)
            return
        }
        BLASBackend.prepare()
        let flops = 2 * m * n * k
        let workers = flops >= parallelFlopThreshold ? workerCount : 1
        let lda = Int32(max(1, a.columns)), ldb = Int32(max(1, b.columns)), ldc = Int32(max(1, n))
        let orderA = transposeA ? CblasTrans : CblasNoTrans, orderB = transposeB ? CblasTrans : CblasNoTrans
        a.values.withUnsafeBufferPointer { aBuffer in
            b.values.withUnsafeBufferPointer { bBuffer in
                c.values.withUnsafeMutableBufferPointer { cBuffer in
                    let aBase = SharedPointer(aBuffer.baseAddress!), bBase = SharedPointer(bBuffer.baseAddress!)
                    let cBase = SharedPointer(cBuffer.baseAddress!)
                    if m == 1 && !transposeA && transposeB {
                        // One query against a tall B (a related-items request): a memory-bound GEMV,
                        // y = B a, with B's rows split across workers; sgemm with M = 1 runs far slower.
                        let parts = flops >= parallelFlopThreshold ? workerCount : 1
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            let first = n * part / parts, last = n * (part + 1) / parts
                            guard last > first else { return }
                            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(last - first), Int32(k), alpha,
                                        bBase + first * Int(ldb), ldb, aBase.base, 1, beta, cBase + first, 1)
                        }
                    } else if workers > 1 && m >= workers * 32 {
                        // Rows of C split across workers; each calls single-threaded sgemm on its block.
                        // Row i of op(A) starts at a + i*lda (no transpose) or a + i (transpose).
                        DispatchQueue.concurrentPerform(iterations: workers) { worker in
                            let first = m * worker / workers, last = m * (worker + 1) / workers
                            guard last > first else { return }
                            let aStart = transposeA ? aBase + first : aBase + first * Int(lda)
                            let cStart = cBase + first * n
                            cblas_sgemm(CblasRowMajor, orderA, orderB, Int32(last - first), Int32(n), Int32(k),
                                        alpha, aStart, lda, bBase.base, ldb, beta, cStart, ldc)
                        }
                    } else if workers > 1 && k >= workers * 256 {
                        // Tall inner dimension with a small output (e.g. A^T dC in a backward pass):
                        // each worker multiplies one slice of k into its own buffer, then they are summed.
                        var partials = [[Float]](repeating: [], count: workers)
                        partials.withUnsafeMutableBufferPointer { partialBuffers in
                            let partialsBase = SharedPointer(partialBuffers.baseAddress!)
                            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                                let first = k * worker / workers, last = k * (worker + 1) / workers
                                var partial = [Float](repeating: 0, count: m * n)
                                // Column `first` of op(A) and row `first` of op(B).
                                let aStart = transposeA ? aBase + first * Int(lda) : aBase + first
                                let bStart = transposeB ? bBase + first : bBase + first * Int(ldb)
                                partial.withUnsafeMutableBufferPointer { p in
                                    cblas_sgemm(CblasRowMajor, orderA, orderB, Int32(m), Int32(n), Int32(last - first),
                                                alpha, aStart, lda, bStart, ldb, 0, p.baseAddress, ldc)
                                }
                                partialsBase[worker] = partial
                            }
                        }
                        for i in 0..<(m * n) {
                            var total: Float = beta == 0 ? 0 : beta * cBuffer[i]
                            for partial in partials { total += partial[i] }
                            cBuffer[i] = total
                        }
                    } else {
                        cblas_sgemm(CblasRowMajor, orderA, orderB, Int32(m), Int32(n), Int32(k),
                                    alpha, aBase.base, lda, bBase.base, ldb, beta, cBuffer.baseAddress, ldc)
                    }
                }
            }
        }
    }

    /// Vane parallelises GEMM itself by splitting rows (or the inner dimension) across cores and
    /// runs OpenBLAS single-threaded per block: measured here, Debian's OpenBLAS 0.3.21 gains
    /// nothing from its own threads on tall-skinny shapes (65536x64x64: 72 GFLOP/s with 1 or 2
    /// threads), while two single-threaded halves run at twice the rate.
    private static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Below this many flops, thread start-up costs more than it saves.
    private static let parallelFlopThreshold = 4_000_000

    /// Gradients of C = A B (no transposes): dA = dC B^T, dB = A^T dC.
    public static func backward(outputGradient: Matrix, a: Matrix, b: Matrix) -> (a: Matrix, b: Matrix) {
        (forward(outputGradient, b, transposeB: true), forward(a, outputGradient, transposeA: true))
    }
}
