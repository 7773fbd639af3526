import Foundation

/// The digamma and trigamma functions, psi(x) = d/dx ln Gamma(x) and psi'(x), for x > 0, which the
/// Beta posterior head needs for its expected cross-entropy and entropy (and their gradients).
///
/// Both use the recurrences psi(x) = psi(x + 1) - 1/x and psi'(x) = psi'(x + 1) + 1/x^2 to move x
/// above 10, then the asymptotic series (Abramowitz & Stegun 6.3.18, 6.4.12); absolute error < 1e-13
/// there. O(1) per call.
public enum Polygamma {
    /// psi(x), x > 0.
    public static func digamma(_ x: Double) -> Double {
        precondition(x > 0, "digamma: argument must be positive, got \(x)")
        var x = x, result = 0.0
        while x < 10 { result -= 1 / x; x += 1 }
        let inverse = 1 / x, inverseSquare = inverse * inverse
        result += log(x) - 0.5 * inverse
            - inverseSquare * (1.0 / 12 - inverseSquare * (1.0 / 120 - inverseSquare * (1.0 / 252 - inverseSquare * (1.0 / 240 - inverseSquare / 132))))
        return result
    }

    /// psi'(x), x > 0.
    public static func trigamma(_ x: Double) -> Double {
        precondition(x > 0, "trigamma: argument must be positive, got \(x)")
        var x = x, result = 0.0
        while x < 10 { result += 1 / (x * x); x += 1 }
        let inverse = 1 / x, inverseSquare = inverse * inverse
        result += inverse + 0.5 * inverseSquare
            + inverse * inverseSquare * (1.0 / 6 - inverseSquare * (1.0 / 30 - inverseSquare * (1.0 / 42 - inverseSquare / 30)))
        return result
    }
}
