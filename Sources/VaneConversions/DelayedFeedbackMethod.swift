/// The delayed-feedback training methods compared by `StreamReplay`, and their importance weights.
///
/// Every weight is clipped to [0, `maximumWeight`] and every probability to [epsilon, 1 - epsilon], so
/// no division or product can blow up.
public enum DelayedFeedbackMethod: String, Sendable, CaseIterable {
    /// Observed labels after the waiting window, weight 1; late conversions are never corrected.
    case vanilla
    /// True eventual labels after the waiting window: the upper bound.
    case oracle
    /// Fake negative weighted (Ktena et al., RecSys 2019): every click enters at once as a negative,
    /// each conversion enters again as a positive; w+ = 1 + p, w- = (1 - p)(1 + p), p the model's
    /// current prediction (no gradient through the weight).
    case fnw
    /// Fake negative calibration (same paper): the FNW stream with plain BCE; serve p / (1 - p).
    case fnc
    /// Elapsed-time sampling (Yang et al., AAAI 2021): the waiting-window stream plus a positive copy
    /// of each late conversion; w+ = 1 + f_dp, w- = (1 + f_dp) f_rn with auxiliary models of
    /// P(delayed positive | x) and P(real negative | observed negative, x).
    case esdfm
    /// Ours (SPEC.md section 2): the waiting-window stream where an observed negative is split as in
    /// DEFUSE (Chen et al., WWW 2022) into a positive part z and a negative part 1 - z, i.e. trained
    /// with the soft label z = P(converts later | not converted by the window end, x, engagement so
    /// far), learned from matured history; a cart add raises z. Late conversions are not re-ingested,
    /// since the split already counted them.
    case engagement

    public static let maximumWeight: Float = 10
    static let epsilon: Float = 1e-4

    static func clip(_ p: Float) -> Float { min(max(p, epsilon), 1 - epsilon) }
    static func clipWeight(_ w: Float) -> Float { min(max(w, 0), maximumWeight) }

    /// FNW weights from the model's prediction p: (positive, negative).
    public static func fnwWeights(prediction p: Float) -> (positive: Float, negative: Float) {
        let q = clip(p)
        return (clipWeight(1 + q), clipWeight((1 - q) * (1 + q)))
    }

    /// ES-DFM weights from f_dp (delayed-positive probability) and f_rn (real-negative probability).
    public static func esdfmWeights(delayedPositive fdp: Float, realNegative frn: Float) -> (positive: Float, negative: Float) {
        let d = clip(fdp), r = clip(frn)
        return (clipWeight(1 + d), clipWeight((1 + d) * r))
    }

    /// Engagement-aware soft label of an observed negative: its flip probability z, clipped.
    public static func engagementSoftLabel(flipProbability z: Float) -> Float { clip(z) }

    /// FNC's served probability p / (1 - p), kept below 1.
    public static func fncCalibrated(_ p: Float) -> Float {
        let q = clip(p)
        return min(q / (1 - q), 1 - epsilon)
    }
}
