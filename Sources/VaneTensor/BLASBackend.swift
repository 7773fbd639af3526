import COpenBLAS

/// The OpenBLAS library behind `MatrixProduct`, prepared once per process.
///
/// Preparation does two things before the first BLAS call: it makes OpenBLAS single-threaded (Vane
/// splits work across cores itself, and OpenBLAS's own threads would oversubscribe them), and it
/// replaces a generic fallback kernel with the one the CPU's instruction set supports. A
/// DYNAMIC_ARCH OpenBLAS older than the CPU (Debian 12's 0.3.21 on Intel model 207) falls back to its
/// SSE3 "Prescott" kernels, which run sgemm 4-6x slower than its AVX-512 "SkylakeX" kernels on the
/// same machine (`Benchmarks/matmul.py`). Setting `OPENBLAS_CORETYPE` yourself disables the
/// re-selection.
public enum BLASBackend {
    /// The kernel family OpenBLAS uses (for example "SkylakeX", "Haswell"), after preparation.
    public static var coreName: String {
        prepare()
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Whether OpenBLAS had fallen back to its generic kernels and Vane re-selected them.
    public static var replacedFallback: Bool { preparation }

    /// Runs the one-time preparation (idempotent, thread-safe: a lazily initialised global).
    @inline(__always) public static func prepare() { _ = preparation }

    private static let preparation: Bool = {
        let replaced = vane_openblas_reselect_core() != nil
        openblas_set_num_threads(1)
        return replaced
    }()
}
