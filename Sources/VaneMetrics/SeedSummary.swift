import Foundation

/// One metric over several seeds: mean and sample standard deviation (n - 1), and paired
/// differences against another method run on the same seeds.
public struct SeedSummary: Sendable, Equatable, Codable {
    /// The per-seed values, in seed order.
    public let values: [Double]
    public let mean: Double
    /// Sample standard deviation; 0 for one seed.
    public let standardDeviation: Double

    public init(_ values: [Double]) {
        self.values = values
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let m = mean
        standardDeviation = values.count < 2 ? 0 : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// Seed-by-seed differences self - other (same seeds, same order), summarised; `wins` counts
    /// seeds where self is strictly higher.
    public func paired(minus other: SeedSummary) -> (difference: SeedSummary, wins: Int) {
        precondition(values.count == other.values.count, "SeedSummary.paired: different seed counts")
        let differences = zip(values, other.values).map { $0 - $1 }
        return (SeedSummary(differences), differences.filter { $0 > 0 }.count)
    }

    /// "0.296 ± 0.012" with `digits` decimals.
    public func formatted(digits: Int = 3) -> String {
        String(format: "%.\(digits)f ± %.\(digits)f", mean, standardDeviation)
    }
}
