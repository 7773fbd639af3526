import COpenBLAS

/// Inverse of a symmetric positive definite matrix by Cholesky factorisation (LAPACK `spotrf` then
/// `spotri` through OpenBLAS). O(n^3) flops, in place, n x n floats of memory beyond the input.
public enum SymmetricInverse {
    /// Replaces `matrix` by its inverse; false (matrix unspecified) when it is not positive definite.
    public static func invert(_ matrix: inout Matrix) -> Bool {
        precondition(matrix.rows == matrix.columns, "SymmetricInverse: square matrix needed")
        let n = matrix.rows
        guard n > 0 else { return true }
        guard n < Int(Int32.max) else { return false }
        BLASBackend.prepare()
        var size = Int32(n), leading = Int32(n), info: Int32 = 0
        // Row-major symmetric = column-major symmetric: "L" in LAPACK's view is the upper triangle here.
        var uplo = CChar(UInt8(ascii: "L"))
        matrix.values.withUnsafeMutableBufferPointer { buffer in
            spotrf_(&uplo, &size, buffer.baseAddress!, &leading, &info)
            if info == 0 { spotri_(&uplo, &size, buffer.baseAddress!, &leading, &info) }
        }
        guard info == 0 else { return false }
        // LAPACK filled one triangle (column-major lower = row-major upper); mirror it.
        for i in 0..<n {
            for j in (i + 1)..<n { matrix.values[j * n + i] = matrix.values[i * n + j] }
        }
        return true
    }
}
