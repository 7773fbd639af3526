import Foundation

/// A Beta(alpha, beta) belief over a probability p: the output of the posterior-network head.
///
/// alpha and beta act as pseudo-counts of positives and negatives (plus the uniform prior's 1 each),
/// so the belief is wide where the network has gathered little evidence (Charpentier et al.,
/// "Posterior Network", NeurIPS 2020, for the Dirichlet case; Beta is its two-class form).
public struct BetaDistribution: Sendable, Equatable {
    public let alpha: Double
    public let beta: Double

    public init(alpha: Double, beta: Double) {
        precondition(alpha > 0 && beta > 0, "Beta parameters must be positive, got \(alpha), \(beta)")
        self.alpha = alpha
        self.beta = beta
    }

    /// E[p] = alpha / (alpha + beta).
    public var mean: Double { alpha / (alpha + beta) }

    /// Var[p] = alpha beta / ((alpha + beta)^2 (alpha + beta + 1)).
    public var variance: Double {
        let total = alpha + beta
        return alpha * beta / (total * total * (total + 1))
    }

    /// Differential entropy H = ln B(alpha, beta) - (alpha - 1) psi(alpha) - (beta - 1) psi(beta)
    /// + (alpha + beta - 2) psi(alpha + beta). At most 0 (the uniform Beta(1, 1)); lower is more certain.
    public var entropy: Double {
        let logBeta = lgamma(alpha) + lgamma(beta) - lgamma(alpha + beta)
        return logBeta - (alpha - 1) * Polygamma.digamma(alpha) - (beta - 1) * Polygamma.digamma(beta)
            + (alpha + beta - 2) * Polygamma.digamma(alpha + beta)
    }

    /// Gradient of `entropy` with respect to (alpha, beta):
    /// dH/dalpha = -(alpha - 1) psi'(alpha) + (alpha + beta - 2) psi'(alpha + beta), symmetric in beta.
    public var entropyGradient: (alpha: Double, beta: Double) {
        let shared = (alpha + beta - 2) * Polygamma.trigamma(alpha + beta)
        return (shared - (alpha - 1) * Polygamma.trigamma(alpha), shared - (beta - 1) * Polygamma.trigamma(beta))
    }

    /// The expected binary cross-entropy under the belief (the "uncertain cross-entropy" of the
    /// posterior network) for a label y in [0, 1]:
    /// E_p[-y ln p - (1 - y) ln(1 - p)] = y (psi(a + b) - psi(a)) + (1 - y) (psi(a + b) - psi(b)).
    public func expectedCrossEntropy(label y: Double) -> Double {
        let total = Polygamma.digamma(alpha + beta)
        return y * (total - Polygamma.digamma(alpha)) + (1 - y) * (total - Polygamma.digamma(beta))
    }

    /// Gradient of `expectedCrossEntropy(label:)` with respect to (alpha, beta).
    public func expectedCrossEntropyGradient(label y: Double) -> (alpha: Double, beta: Double) {
        let total = Polygamma.trigamma(alpha + beta)
        return (total - y * Polygamma.trigamma(alpha), total - (1 - y) * Polygamma.trigamma(beta))
    }
}
