import Foundation

/// Maximum-likelihood fit of a discrete power law p(d) ~ d^-alpha to a degree sample, with the
/// lower cut-off d_min chosen to minimise the Kolmogorov-Smirnov distance (Clauset, Shalizi &
/// Newman, SIAM Review 2009). Uses their closed-form approximation
/// alpha = 1 + n / sum_i ln(d_i / (d_min - 1/2)) over the n degrees >= d_min.
///
/// O(U n) for U candidate cut-offs (at most 50 distinct values are tried, smallest first).
public struct PowerLawFit: Sendable, Equatable {
    /// Fitted exponent.
    public let exponent: Double
    /// Smallest degree in the fitted tail.
    public let minimumDegree: Int
    /// Number of samples in the tail.
    public let tailCount: Int
    /// KS distance between the tail's empirical CDF and the fitted one.
    public let ksDistance: Double

    /// Fits the positive degrees of `degrees` (zeros are ignored); nil when fewer than 10 remain.
    public init?(degrees: [Int]) {
        let sorted = degrees.filter { $0 > 0 }.sorted()
        guard sorted.count >= 10 else { return nil }
        var candidates: [Int] = []
        for d in sorted where candidates.last != d {
            candidates.append(d)
            if candidates.count == 50 { break }
        }
        var best: (Double, Int, Int, Double)?
        var startIndex = 0
        for dMin in candidates {
            while startIndex < sorted.count && sorted[startIndex] < dMin { startIndex += 1 }
            let tail = sorted[startIndex...]
            guard tail.count >= 10 else { break }
            let shift = Double(dMin) - 0.5
            let logSum = tail.reduce(0.0) { $0 + log(Double($1) / shift) }
            guard logSum > 0 else { continue }
            let alpha = 1 + Double(tail.count) / logSum
            // Continuous-approximation CDF of the fitted tail: 1 - ((d + 1/2) / (dMin - 1/2))^(1 - alpha).
            var distance = 0.0
            var index = tail.startIndex
            while index < tail.endIndex {
                let value = tail[index]
                var next = index
                while next < tail.endIndex && tail[next] == value { next += 1 }
                let empirical = Double(next - tail.startIndex) / Double(tail.count)
                let model = 1 - pow((Double(value) + 0.5) / shift, 1 - alpha)
                distance = max(distance, abs(empirical - model))
                index = next
            }
            if best == nil || distance < best!.3 { best = (alpha, dMin, tail.count, distance) }
        }
        guard let best else { return nil }
        exponent = best.0
        minimumDegree = best.1
        tailCount = best.2
        ksDistance = best.3
    }
}
