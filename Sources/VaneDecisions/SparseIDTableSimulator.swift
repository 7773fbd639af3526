import Foundation
import VaneTensor

/// A labelled table where an uncertainty that knows how often an ID was seen can carry information
/// the score lacks (the sparse-ID setting of Arora et al., ICLR 2024): clicks on items whose
/// popularity is Zipf(`zipfExponent`), so most of `itemCount` IDs appear a handful of times; each ID
/// has its own log-odds ~ N(`itemMean`, `itemDeviation`^2); two standard-normal context features add
/// `contextWeights` to the logit. A model must learn per-ID effects from few examples, so its scores
/// on rare IDs are noisy.
///
/// Columns: `item` (`item<ID>`), `context_a`, `context_b` (4 decimals), `converted` (0/1). Seeded;
/// O(rows log itemCount).
public struct SparseIDTableSimulator: Sendable {
    public var rows = 60_000
    public var itemCount = 20_000
    public var zipfExponent = 1.1
    public var itemMean = -1.2
    public var itemDeviation = 1.2
    public var contextWeights = (0.4, -0.3)

    public init() {}

    /// Refuses sizes and laws that cannot make a table, naming the field.
    public func validate() throws(DecisionError) {
        guard (1...50_000_000).contains(rows) else { throw DecisionError(.invalidConfiguration, "rows must be 1...50,000,000, got \(rows)", field: "rows") }
        guard (1...10_000_000).contains(itemCount) else { throw DecisionError(.invalidConfiguration, "item count must be 1...10,000,000, got \(itemCount)", field: "itemCount") }
        guard zipfExponent.isFinite, (0...5).contains(zipfExponent) else {
            throw DecisionError(.invalidConfiguration, "Zipf exponent must be in 0...5, got \(zipfExponent)", field: "zipfExponent")
        }
        guard itemMean.isFinite, itemDeviation.isFinite, itemDeviation >= 0, contextWeights.0.isFinite, contextWeights.1.isFinite else {
            throw DecisionError(.invalidConfiguration, "item log-odds mean, deviation (>= 0) and context weights must be finite")
        }
    }

    /// The table as CSV text, and its positive count.
    public func csv(seed: UInt64) throws(DecisionError) -> (text: String, positives: Int) {
        try validate()
        var generator = SeededGenerator(seed: seed)
        // Cumulative popularity of ranks 1...n, for inverse-CDF sampling.
        var cumulative = [Double](repeating: 0, count: itemCount)
        var total = 0.0
        for rank in 0..<itemCount {
            total += pow(Double(rank + 1), -zipfExponent)
            cumulative[rank] = total
        }
        let effects = (0..<itemCount).map { _ in itemMean + itemDeviation * generator.nextGaussian() }
        var text = "item,context_a,context_b,converted\n"
        text.reserveCapacity(rows * 32)
        var positives = 0
        for _ in 0..<rows {
            let draw = generator.nextUnitDouble() * total
            var low = 0, high = itemCount - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < draw { low = middle + 1 } else { high = middle }
            }
            let a = generator.nextGaussian(), b = generator.nextGaussian()
            let logit = effects[low] + contextWeights.0 * a + contextWeights.1 * b
            let converted = generator.nextUnitDouble() < 1 / (1 + exp(-logit))
            if converted { positives += 1 }
            text += "item\(low),\(String(format: "%.4f", a)),\(String(format: "%.4f", b)),\(converted ? 1 : 0)\n"
        }
        return (text, positives)
    }
}
