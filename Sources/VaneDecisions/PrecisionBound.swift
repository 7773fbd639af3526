import Foundation

/// How a policy judges "precision >= target" from counts on its fitting data.
public enum PrecisionBound: Sendable, Equatable, Codable {
    /// The observed precision TP / PP.
    case pointEstimate
    /// The Wilson score lower bound at this one-sided confidence (e.g. 0.95), so a policy fitted on
    /// one split keeps its precision on new data with that probability (Wilson, JASA 1927).
    case wilson(confidence: Double)
    /// The exact (Clopper-Pearson 1934) one-sided lower bound at this confidence: the smallest
    /// precision p with P(Bin(PP, p) >= TP) >= 1 - confidence. "Bound >= target" is the binomial
    /// test of "precision < target" at level 1 - confidence, the test Learn then Test runs on each
    /// candidate policy (`ThresholdPolicyFitter.fitLearnThenTest`).
    case clopperPearson(confidence: Double)

    /// Whether `truePositives` of `predictedPositives` show precision >= `target` under this bound.
    /// Clopper-Pearson answers with one binomial tail (no bound inversion): O(sqrt(PP)).
    public func meets(target: Double, truePositives: Double, predictedPositives: Double) -> Bool {
        guard predictedPositives > 0 else { return false }
        if case .clopperPearson(let confidence) = self {
            // Bound >= target  <=>  P(Bin(PP, target) >= TP) <= 1 - confidence (the tail grows with p).
            return Self.binomialUpperTail(successes: truePositives, trials: predictedPositives, probability: target) <= 1 - confidence
        }
        return value(truePositives: truePositives, predictedPositives: predictedPositives) >= target
    }

    /// The confidence of the bound; nil for the point estimate.
    public var confidence: Double? {
        switch self {
        case .pointEstimate: return nil
        case .wilson(let confidence), .clopperPearson(let confidence): return confidence
        }
    }

    /// The precision value compared with the target for `truePositives` of `predictedPositives`.
    public func value(truePositives: Double, predictedPositives: Double) -> Double {
        guard predictedPositives > 0 else { return 0 }
        let p = truePositives / predictedPositives
        switch self {
        case .pointEstimate:
            return p
        case .clopperPearson(let confidence):
            guard truePositives > 0 else { return 0 }
            // Bisection on the monotone tail: 60 halvings reach Double resolution.
            var low = 0.0, high = p
            for _ in 0..<60 {
                let mid = (low + high) / 2
                if Self.binomialUpperTail(successes: truePositives, trials: predictedPositives, probability: mid) >= 1 - confidence { high = mid } else { low = mid }
            }
            return low
        case .wilson(let confidence):
            let z = Self.normalQuantile(confidence)
            let n = predictedPositives
            let centre = p + z * z / (2 * n)
            let margin = z * ((p * (1 - p) + z * z / (4 * n)) / n).squareRoot()
            return (centre - margin) / (1 + z * z / n)
        }
    }

    /// The drift check's p-value: P(Bin(accepted, target) <= truePositives), the chance of a
    /// precision this low among `accepted` rows if the true precision were still `target`; 1 when
    /// nothing was accepted. O(sqrt(accepted)).
    public static func belowTargetPValue(truePositives: Int, accepted: Int, target: Double) -> Double {
        accepted > 0 ? 1 - binomialUpperTail(successes: Double(truePositives + 1), trials: Double(accepted), probability: target) : 1
    }

    /// The level at which a policy with this bound counts a window as drifted: its error rate
    /// 1 - confidence (delta for Learn then Test), or 0.05 for a point-estimate policy.
    public var driftLevel: Double { confidence.map { 1 - $0 } ?? 0.05 }

    /// P(X >= k) for X ~ Binomial(n, p) = I_p(k, n - k + 1), the regularised incomplete beta.
    public static func binomialUpperTail(successes k: Double, trials n: Double, probability p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return regularizedIncompleteBeta(p, k, n - k + 1)
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes (section 6.4, modified Lentz),
    /// on the side of x where it converges fast; O(sqrt(max(a, b))) terms.
    static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * betaContinuedFraction(x, a, b) / a }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, b, a) / b
    }

    private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        let limit = max(300, Int(20 * (max(a, b)).squareRoot()))
        for step in 1...limit {
            let m = Double(step), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }

    /// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
    static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -normalQuantile(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
