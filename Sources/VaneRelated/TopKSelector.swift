/// Keeps the `capacity` highest-scoring items seen so far in a bounded min-heap.
///
/// O(n log k) for n offers; ties are broken toward the smaller index so results are deterministic.
public struct TopKSelector: Sendable {
    public let capacity: Int
    private var heap: [(score: Float, index: Int32)] = []

    public init(capacity: Int) {
        precondition(capacity >= 0, "TopKSelector: capacity must be non-negative")
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// True when `a` ranks below `b` (lower score, or equal score and larger index).
    @inline(__always) private static func ranksBelow(_ a: (score: Float, index: Int32), _ b: (score: Float, index: Int32)) -> Bool {
        a.score < b.score || (a.score == b.score && a.index > b.index)
    }

    /// Scores at or below this cannot enter when offered in increasing index order (the heap is
    /// full and a tie loses to the smaller index already kept); -infinity until full.
    @inline(__always) public var admissionScore: Float {
        heap.count < capacity ? -.infinity : heap[0].score
    }

    /// Offers one candidate.
    public mutating func offer(score: Float, index: Int32) {
        guard capacity > 0 else { return }
        let item = (score: score, index: index)
        if heap.count < capacity {
            heap.append(item)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.ranksBelow(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if Self.ranksBelow(heap[0], item) {
            heap[0] = item
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && Self.ranksBelow(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count && Self.ranksBelow(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    /// The kept items, best first.
    public func sorted() -> [(score: Float, index: Int32)] {
        heap.sorted { Self.ranksBelow($1, $0) }
    }
}
