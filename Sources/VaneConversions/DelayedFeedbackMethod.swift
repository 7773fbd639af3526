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
    /// Feedback shift importance weighting (Yasui et al., WWW 2020), on the waiting-window stream
    /// without duplicates: w+ = 1 / (1 - g), g = P(delay > window | converts, x); w- = f_rn.
    case fsiw
    /// Elapsed-time sampling (Yang et al., AAAI 2021): the waiting-window stream plus a positive copy
    /// of each late conversion; w+ = 1 + f_dp, w- = (1 + f_dp) f_rn with auxiliary models of
    /// P(delayed positive | x) and P(real negative | observed negative, x).
    case esdfm
    /// Duplicated samples (Gu et al., KDD 2021): every click enters at its window end with the label
    /// observed then and once more later (an immediate positive at once, a late positive at its
    /// conversion, a real negative at the end of attribution), so q(x) = p(x), q(y=1|x) = p - f_dp/2:
    /// w+ = p / (p - f_dp / 2), w- = (1 - p) / (1 - p + f_dp / 2), p the model's prediction.
    case `defer`
    /// Unbiased label correction (Chen et al., WWW 2022), on the ES-DFM stream: an immediate
    /// positive counts with weight 1 + f_dp, a late positive copy with 1, and an observed negative is
    /// split into a fake-negative part (positive label, weight z f_dp) and a real-negative part
    /// (negative label, weight (1 - z)(1 + f_dp)), with z = 1 - f_rn.
    case defuse
    /// Ours (SPEC.md section 2), v2: a running soft label. An observed positive enters at its window
    /// end with label 1. An observed negative enters then with the soft label z_0 = P(y = 1 | not
    /// converted by the window end, x, engagement by then). With `EngagementRevisions.engagement` or
    /// `.outcomes`, each later moment t_k that brings news (an engagement event: a cart add at hour 5
    /// raises z then; a waiting-time boundary) re-scores it, z_k = P(y = 1 | not converted by t_k, x,
    /// engagement by t_k, time waited), and with `.outcomes` its conversion sets z = 1 and its
    /// attribution end z = 0. A change z_{k-1} -> z_k enters as two samples, weight +1 at label z_k
    /// and weight -1 at label z_{k-1}, batched with the step's samples (`StreamReplay.batches`).
    ///
    /// Unbiasedness: BCE is linear in the label, l(z) = z l(1) + (1 - z) l(0), so a click's samples
    /// sum to l(z_k) at every moment (the pairs telescope). With exact auxiliaries z_k = E[y | F_k],
    /// a martingale in the information F_k, hence E[l(z_k)] = E[z_k l(1) + (1 - z_k) l(0)] =
    /// E[y l(1) + (1 - y) l(0)]: at every moment the accumulated loss is an unbiased estimate of the
    /// oracle's loss on the clicks past their window end, with q(x) = p(x) (each click counted once),
    /// and once settled (`.outcomes`) it is exactly the oracle's. Every level is unbiased; they differ
    /// in variance and in how much they lean on the flip model: z_0 alone is E[y | F_0], the
    /// lowest-variance label (conditioning on less). The default, `.lateCopies`, keeps z at the window
    /// end and lets each late conversion re-enter as an ES-DFM-style positive copy, with the soft label
    /// z p so that the two stay unbiased: it was the only level within 0.002 AUC of the best peer on
    /// every simulator scenario (docs/results/conversions.md). z comes from a
    /// logistic flip model over the click's features, engagement by t and the time waited, learned on
    /// snapshots of matured clicks and kept learning (`StreamReplay.Configuration.auxiliaryRefreshHours`).
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

    /// FSIW weights from g = P(delay > window | converts, x) and f_rn.
    public static func fsiwWeights(delayGivenConversion g: Float, realNegative frn: Float) -> (positive: Float, negative: Float) {
        (clipWeight(1 / (1 - clip(g))), clipWeight(clip(frn)))
    }

    /// DEFER weights from the model's prediction p and f_dp; the denominators are kept above epsilon.
    public static func deferWeights(prediction p: Float, delayedPositive fdp: Float) -> (positive: Float, negative: Float) {
        let q = clip(p), half = clip(fdp) / 2
        return (clipWeight(q / max(q - half, epsilon)), clipWeight((1 - q) / (1 - q + half)))
    }

    /// DEFUSE weights: immediate positive, late positive copy, and an observed negative's
    /// fake-negative (positive-label) and real-negative (negative-label) parts.
    public static func defuseWeights(delayedPositive fdp: Float, realNegative frn: Float)
        -> (immediatePositive: Float, latePositive: Float, fakeNegative: Float, realNegative: Float) {
        let d = clip(fdp), z = 1 - clip(frn)
        return (clipWeight(1 + d), 1, clipWeight(z * d), clipWeight((1 - z) * (1 + d)))
    }

    /// Engagement-aware soft label of an observed negative: its flip probability z, clipped.
    public static func engagementSoftLabel(flipProbability z: Float) -> Float { clip(z) }

    /// The window-end soft label of an observed negative when late conversions re-enter as copies of
    /// weight c (`EngagementRevisions.lateCopies`): z (1 - c + c p), p the model's prediction; c = 0 is
    /// z alone (no copies), c = 1 is z p.
    public static func lateCopySoftLabel(flipProbability z: Float, prediction p: Float, copyWeight c: Float) -> Float {
        engagementSoftLabel(flipProbability: z) * (1 - c + c * clip(p))
    }

    /// The late copies' weight c the replay uses when none is configured, from the share f of
    /// conversions that arrived after the waiting window in history matured before the replay:
    /// c = 1 - f / 2. Where most conversions are late, their copies arrive days after the clicks they
    /// describe and carry most of the label mass, so the prediction-based fixed point of z (1 - c + c p)
    /// lags; the flip model's expectation z (c -> 0) then gives the lower-variance label. Where few are
    /// late, copies of their true outcomes cost little and keep the ranking sharp (c -> 1).
    public static func lateCopyWeight(lateShare f: Double) -> Float {
        Float(1 - min(max(f.isFinite ? f : 0, 0), 1) / 2)
    }

    /// The probability a model trained by this method serves for its raw prediction p: FNC's
    /// calibrated p / (1 - p), every other method's p unchanged.
    public func servedProbability(_ p: Float) -> Float { self == .fnc ? Self.fncCalibrated(p) : p }

    /// FNC's served probability p / (1 - p), kept below 1.
    public static func fncCalibrated(_ p: Float) -> Float {
        let q = clip(p)
        return min(q / (1 - q), 1 - epsilon)
    }
}

/// How far the engagement method revises an observed negative's soft label after its window end
/// (`DelayedFeedbackMethod.engagement`); each level keeps the stream unbiased with exact auxiliaries.
public enum EngagementRevisions: String, Sendable, CaseIterable {
    /// z_0 at the window end only: each click counted once with E[y | F_0], the lowest-variance label
    /// (the default).
    case none
    /// Also z_k at each engagement event and waiting-time boundary until the conversion: the label
    /// tracks the flip model's estimate (a martingale stopped at the conversion, so still unbiased)
    /// and a cart add at hour 5 raises it then.
    case engagement
    /// Also the outcome: z = 1 at a late conversion, z = 0 at the attribution end, so every click
    /// ends at its true label and the flip model's errors are undone (at the cost of the outcome's
    /// variance).
    case outcomes
    /// No revisions; instead each late conversion re-enters as a positive copy of weight c in [0, 1],
    /// as in ES-DFM, and the window-end soft label becomes z (1 - c + c p), p the model's current
    /// prediction. Per x, with P_o = P(observed by the window end) and f_dp = P(late conversion) =
    /// (1 - P_o) E[z]: label mass P_o + (1 - P_o) E[z] (1 - c + c p) + c f_dp = P_o + f_dp + c p f_dp
    /// = p (1 + c f_dp) over weight 1 + c f_dp, so the weighted optimum is p at the fixed point where
    /// the prediction is the true rate (the same fixed-point argument as FNW's and DEFER's
    /// prediction-based weights). c = 0 is `.none`; c = 1 gives the soft label z p. Late conversions
    /// carry their click's own truth to the model at conversion time; engagement still sharpens z.
    /// c comes from `StreamReplay.Configuration.lateCopyWeight`, or by default from the late share of
    /// matured history (`DelayedFeedbackMethod.lateCopyWeight(lateShare:)`). The default level.
    case lateCopies = "late-copies"
}
