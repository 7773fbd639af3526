import VaneMetrics

/// Honest test-split measures of a fitted policy (SPEC.md section 3): recall *and* the precision it
/// actually achieved, and whether that meets the target within `tolerance`.
public struct PolicyEvaluation: Sendable, Equatable {
    public let recall: Double
    public let precision: Double
    public let accepted: Int
    public let meetsTarget: Bool

    public static let tolerance = 0.01

    /// Accepted nothing, or met the target: no accepted row broke the precision promise beyond tolerance.
    public var keepsPromise: Bool { accepted == 0 || meetsTarget }

    /// The drift check on a newer window: P(Bin(accepted, target) <= true positives), the chance of
    /// a precision this low if the policy's precision were still `target`. Below the policy's error
    /// level (1 - its bound's confidence, e.g. delta of Learn then Test), the window has drifted
    /// outside the guarantee; 1 when nothing was accepted.
    public let belowTargetPValue: Double

    public init(policy: ThresholdPolicy, on test: ScoredExamples) {
        var tp = 0, pp = 0
        for i in 0..<test.count where policy.decide(score: test.scores[i], uncertainty: test.uncertainties[i]) {
            pp += 1
            if test.labels[i] { tp += 1 }
        }
        let positives = test.positiveCount
        recall = positives > 0 ? Double(tp) / Double(positives) : 0
        precision = pp > 0 ? Double(tp) / Double(pp) : 0
        accepted = pp
        meetsTarget = pp > 0 && precision >= policy.targetPrecision - Self.tolerance
        belowTargetPValue = PrecisionBound.belowTargetPValue(truePositives: tp, accepted: pp, target: policy.targetPrecision)
    }

    /// Whether the drift check flags this window at `level` (e.g. 0.05, or the policy's delta).
    public func drifted(level: Double) -> Bool { belowTargetPValue < level }

    /// Recall at `precision` read off the test precision-recall curve of `values` (threshold chosen
    /// on test, so it measures ranking quality, not threshold-selection luck).
    public static func curveRecall(values: [Double], labels: [Bool], precision: Double) -> Double {
        PrecisionRecallCurve(scores: values, labels: labels).maximumRecall(atPrecision: precision)
    }
}
