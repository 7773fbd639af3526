import Dispatch

/// Runs a loop over 0..<count as contiguous ranges on all cores, for loops whose iterations each write
/// their own elements only: every element then gets the same operations in the same order however
/// the range is split, so the result is bit for bit the serial loop's.
public enum ParallelRanges {
    /// `body` over `parts` contiguous ranges covering 0..<count (fewer when count is smaller), run
    /// concurrently; one range on the calling thread when count < `serialBelow` (dispatch costs more
    /// than it saves on short loops). The caller guarantees that ranges touch disjoint memory.
    public static func forEach(count: Int, parts: Int = 8, serialBelow: Int = 65_536, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let pieces = count >= serialBelow ? max(1, min(parts, count)) : 1
        guard pieces > 1 else { return body(0..<count) }
        DispatchQueue.concurrentPerform(iterations: pieces) { part in
            body((count * part / pieces)..<(count * (part + 1) / pieces))
        }
    }
}
