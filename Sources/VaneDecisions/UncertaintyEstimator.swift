import Foundation
import VaneLinear
import VaneNeural
import VaneTensor

/// Ways to attach an uncertainty to each prediction: (score, uncertainty) per example, where any
/// monotone measure of doubt will do because the policies only bin it by rank.
public enum UncertaintyEstimator: String, Sendable, CaseIterable {
    /// Bootstrap ensemble of logistic regressions (Efron 1979; Lakshminarayanan et al. 2017 for deep
    /// ensembles): K models on resamples; score = mean probability, uncertainty = variance of the
    /// members' probabilities.
    case ensemble
    /// Monte Carlo dropout of one sparse MLP (Gal & Ghahramani, ICML 2016): T stochastic passes;
    /// score = mean probability, uncertainty = variance over the passes.
    case dropout
    /// Diagonal Laplace posterior of one logistic regression; score = its probability, uncertainty =
    /// predictive variance of the logit, sum_j x_j^2 / (l2 + sum_i p_i (1 - p_i) x_ij^2), which is
    /// large where the example's feature values were rarely seen in training.
    case laplace
    /// Posterior-network head (Charpentier et al., NeurIPS 2020, two-class form): a sparse MLP
    /// outputs Beta(alpha, beta) over P(y = 1), trained with the expected cross-entropy minus an
    /// entropy term; score = alpha / (alpha + beta), uncertainty = the Beta's differential entropy
    /// (or its variance, or 1 / (alpha + beta): `EstimatorSettings.betaUncertainty`).
    case posterior
}

/// Which number of the posterior head's Beta(alpha, beta) is the uncertainty.
public enum BetaUncertainty: String, Sendable, CaseIterable {
    /// Differential entropy (the posterior-network paper's choice); it also depends on the mean,
    /// being lowest for beliefs near 0 or 1.
    case entropy
    /// alpha beta / ((alpha + beta)^2 (alpha + beta + 1)).
    case variance
    /// 1 / (alpha + beta): the inverse of the total evidence, the purely epistemic part (Posterior
    /// Network measures epistemic uncertainty by alpha + beta).
    case evidence

    func value(of belief: BetaDistribution) -> Double {
        switch self {
        case .entropy: belief.entropy
        case .variance: belief.variance
        case .evidence: 1 / (belief.alpha + belief.beta)
        }
    }
}

/// Everything an estimator needs besides data: sizes of ensembles and passes, and the models.
public struct EstimatorSettings: Sendable, Equatable {
    /// Bootstrap members of `ensemble`.
    public var members = 10
    /// Stochastic forward passes of `dropout`.
    public var dropoutPasses = 30
    /// The logistic model of `ensemble` and `laplace`.
    public var linear = LogisticRegression.Configuration()
    /// The network of `dropout` (its head is forced to Bernoulli) and `posterior` (forced to Beta
    /// with `entropyWeight` unless already Beta).
    public var network = SparseMLP.Configuration()
    /// Weight of the entropy term of the posterior head.
    public var entropyWeight: Float = 0.01
    /// What the posterior head reports as uncertainty.
    public var betaUncertainty = BetaUncertainty.entropy
    public init() {}

    public func validate() throws(DecisionError) {
        guard members >= 2 else { throw DecisionError(.invalidConfiguration, "an ensemble needs at least 2 members, got \(members)") }
        guard dropoutPasses >= 2 else { throw DecisionError(.invalidConfiguration, "Monte Carlo dropout needs at least 2 passes, got \(dropoutPasses)") }
        guard entropyWeight >= 0, entropyWeight.isFinite else {
            throw DecisionError(.invalidConfiguration, "entropy weight must be finite and >= 0, got \(entropyWeight)")
        }
        do {
            try linear.validate()
            try network.validate()
        } catch {
            throw DecisionError(.invalidConfiguration, "\(error)")
        }
    }
}

/// Score and uncertainty of each test example.
public struct ScoredPredictions: Sendable, Equatable {
    public let scores: [Double]
    public let uncertainties: [Double]
}

extension UncertaintyEstimator {
    /// Trains on `training` and scores each row of `test`.
    /// Cost: ensemble O(K x epochs x nnz); laplace O(epochs x nnz); dropout and posterior
    /// O(epochs x n x network) to train, dropout x T passes to score.
    public func predictions(training: SparseRowMatrix, labels: [Bool], test: SparseRowMatrix,
                            settings: EstimatorSettings = .init(),
                            using generator: inout SeededGenerator) throws(DecisionError) -> ScoredPredictions {
        try settings.validate()
        do {
            switch self {
            case .laplace:
                let fitted = try LogisticRegression(configuration: settings.linear).fit(features: training, labels: labels, using: &generator)
                let precisions = fitted.laplacePrecisions(training: training)
                return ScoredPredictions(scores: (0..<test.rowCount).map { Double(fitted.probability(test, row: $0)) },
                                         uncertainties: (0..<test.rowCount).map { fitted.logitVariance(test, row: $0, precisions: precisions) })
            case .ensemble:
                let model = try LogisticRegression(configuration: settings.linear)
                var sums = [Double](repeating: 0, count: test.rowCount), squares = sums
                for _ in 0..<settings.members {
                    let resample = (0..<training.rowCount).map { _ in generator.nextIndex(below: training.rowCount) }
                    let fitted = try model.fit(features: training.selectingRows(resample), labels: resample.map { labels[$0] }, using: &generator)
                    for row in 0..<test.rowCount {
                        let p = Double(fitted.probability(test, row: row))
                        sums[row] += p
                        squares[row] += p * p
                    }
                }
                let k = Double(settings.members)
                return ScoredPredictions(scores: sums.map { $0 / k },
                                         uncertainties: zip(sums, squares).map { max(0, $1 / k - ($0 / k) * ($0 / k)) })
            case .dropout:
                var network = settings.network
                network.head = .bernoulli
                if network.dropoutRate == 0 { throw DecisionError(.invalidConfiguration, "Monte Carlo dropout needs a dropout rate above 0") }
                let fitted = try SparseMLP(configuration: network).fit(features: training, labels: labels.map { $0 ? 1 : 0 }, using: &generator)
                let samples = (0..<test.rowCount).map { fitted.monteCarloDropout(test, row: $0, passes: settings.dropoutPasses, using: &generator) }
                return ScoredPredictions(scores: samples.map(\.mean), uncertainties: samples.map(\.variance))
            case .posterior:
                var network = settings.network
                network.head = .beta(entropyWeight: settings.entropyWeight)
                let fitted = try SparseMLP(configuration: network).fit(features: training, labels: labels.map { $0 ? 1 : 0 }, using: &generator)
                let beliefs = (0..<test.rowCount).map { fitted.belief(test, row: $0) }
                return ScoredPredictions(scores: beliefs.map(\.mean), uncertainties: beliefs.map(settings.betaUncertainty.value))
            }
        } catch let error as DecisionError {
            throw error
        } catch {
            throw DecisionError(.invalidInput, "\(rawValue) estimator: \(error)")
        }
    }
}
