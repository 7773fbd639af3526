import CMalloc
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide glibc malloc settings for numeric work. Executables apply them once at start
/// (`vane`, the benchmarks); library code never changes them behind a caller's back.
///
/// A GNN training step allocates tens of matrices of 1-30 MB and frees them before the next step.
/// By default glibc serves large blocks with fresh mappings and hands freed heap tops back to the
/// kernel, so every step pays page faults and zero-filling for the same memory again: a third of
/// the step time on the Debian graph (`perf record`: `clear_page_erms`, `exc_page_fault`, 20 batches
/// 3.2 -> 2.1 s). Raising the mmap threshold to glibc's maximum (32 MiB) and the trim threshold to
/// 2 GiB keeps that memory in the process between steps. Peak RSS stays the same (the blocks are
/// reused, not added to); RSS just does not shrink between steps.
public enum AllocatorTuning {
    /// Applies the settings unless the environment already tunes malloc (`GLIBC_TUNABLES` naming
    /// `glibc.malloc`, or a `MALLOC_*_` variable). Returns whether they were applied.
    @discardableResult
    public static func retainFreedBlocks() -> Bool {
        #if os(Linux) && canImport(Glibc)
        if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("glibc.malloc") { return false }
        if getenv("MALLOC_MMAP_THRESHOLD_") != nil || getenv("MALLOC_TRIM_THRESHOLD_") != nil { return false }
        return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, Int32.max) == 1
        #else
        return false
        #endif
    }
}
