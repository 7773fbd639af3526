import Foundation
import VaneTensor

/// Ways to attach an uncertainty to each prediction of a logistic model.
public enum UncertaintyEstimator: String, Sendable, CaseIterable {
    /// Bootstrap ensemble (Efron 1979; Lakshminarayanan et al. 2017 for deep ensembles): K models on
    /// resamples; score = mean probability, uncertainty = variance of the members' probabilities.
    case ensemble
    /// Diagonal Laplace posterior of one model; score = its probability, uncertainty = predictive
    /// variance of the logit.
    case laplace

    /// Scores and uncertainties for `test` rows after fitting on `training`. O(K x epochs x nnz).
    public func scoreAndUncertainty(training: SparseRowMatrix, labels: [Bool], test: SparseRowMatrix,
                                    model: LogisticRegression, members: Int = 10,
                                    using generator: inout SeededGenerator) throws(LinearModelError) -> (scores: [Double], uncertainties: [Double]) {
        switch self {
        case .laplace:
            let fitted = try model.fit(features: training, labels: labels, using: &generator)
            let precisions = fitted.laplacePrecisions(training: training)
            return ((0..<test.rowCount).map { Double(fitted.probability(test, row: $0)) },
                    (0..<test.rowCount).map { fitted.logitVariance(test, row: $0, precisions: precisions) })
        case .ensemble:
            guard members >= 2 else { throw LinearModelError("an ensemble needs at least 2 members, got \(members)") }
            var sums = [Double](repeating: 0, count: test.rowCount), squares = sums
            for _ in 0..<members {
                let resample = (0..<training.rowCount).map { _ in generator.nextIndex(below: training.rowCount) }
                let fitted = try model.fit(features: training.selectingRows(resample), labels: resample.map { labels[$0] }, using: &generator)
                for row in 0..<test.rowCount {
                    let p = Double(fitted.probability(test, row: row))
                    sums[row] += p
                    squares[row] += p * p
                }
            }
            let k = Double(members)
            return (sums.map { $0 / k }, zip(sums, squares).map { max(0, $1 / k - ($0 / k) * ($0 / k)) })
        }
    }
}
