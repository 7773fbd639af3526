import Foundation

/// A fitted decision policy: accept an example when its score clears the threshold of its
/// uncertainty bin. One bin is the classic single score threshold; EW-DPMT and MIST fit one
/// threshold per bin (Arora, Merugu, Saladi, Rastogi, ICLR 2024).
///
/// Applying is O(log U) for U uncertainty bins. Policies are small JSON documents (`Codable`).
public struct ThresholdPolicy: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case single
        case ewDPMT = "ew-dpmt"
        case mist
    }

    /// What fitting found on its own data.
    public struct FitSummary: Sendable, Codable, Equatable {
        public let examples: Int
        public let precision: Double
        public let recall: Double
        /// False when no threshold reached the precision target (the policy then accepts nothing).
        public let reachedTarget: Bool
    }

    public let kind: Kind
    public let targetPrecision: Double
    public let bound: PrecisionBound
    /// Ascending cut points between uncertainty bins (U - 1 of them).
    public let uncertaintyCuts: [Double]
    /// Per uncertainty bin: accept when score >= threshold (infinity: accept none).
    public let scoreThresholds: [Double]
    /// Per uncertainty bin, the score -> positive-rate map used as the recalibrated score
    /// (MIST: isotonic fit; EW-DPMT: the cell rates; single: empty, the raw score is used).
    public let calibrations: [IsotonicRegression]
    public let fit: FitSummary

    /// The uncertainty bin of a value: the number of cuts at or below it. O(log U).
    public func uncertaintyBin(_ uncertainty: Double) -> Int { uncertaintyCuts.countAtOrBelow(uncertainty) }

    /// Accept (true) or reject.
    public func decide(score: Double, uncertainty: Double) -> Bool {
        score >= scoreThresholds[uncertaintyBin(uncertainty)]
    }

    /// The policy's recalibrated score (the raw score for a single threshold).
    public func recalibratedScore(score: Double, uncertainty: Double) -> Double {
        calibrations.isEmpty ? score : calibrations[uncertaintyBin(uncertainty)].predict(score)
    }
}
