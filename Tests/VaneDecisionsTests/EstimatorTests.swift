import Testing
import VaneLinear
import VaneTensor

@Suite("Uncertainty estimators")
struct EstimatorTests {
    @Test func ensembleVarianceIsZeroWhenMembersAgree() throws {
        // Identical rows: every bootstrap resample is the same data, so every member is the same model.
        var features = SparseRowMatrix(columnCount: 3)
        for _ in 0..<50 { features.appendRow(columns: [0, 2], values: [1, 0.5]) }
        let labels = (0..<50).map { $0 < 20 }
        var generator = SeededGenerator(seed: 1)
        // Full-batch training so the shuffled order cannot make members differ.
        var configuration = LogisticRegression.Configuration()
        configuration.batchSize = 1000
        let (_, uncertainties) = try UncertaintyEstimator.ensemble.scoreAndUncertainty(
            training: features, labels: labels, test: features, model: LogisticRegression(configuration: configuration),
            members: 5, using: &generator)
        // Bootstrap resamples of identical rows differ only in label mix, so check the feature-free case too.
        #expect(uncertainties.allSatisfy { $0 >= 0 })
        var constant = SparseRowMatrix(columnCount: 1)
        for _ in 0..<40 { constant.appendRow(columns: [0], values: [1]) }
        let (_, agreeing) = try UncertaintyEstimator.ensemble.scoreAndUncertainty(
            training: constant, labels: Array(repeating: true, count: 40), test: constant,
            model: LogisticRegression(configuration: configuration), members: 4, using: &generator)
        #expect(agreeing.allSatisfy { $0 < 1e-12 })
    }

    @Test func laplaceVarianceShrinksAsAFeatureIsSeenMore() throws {
        // Column 1 appears in 400 rows, column 2 in 4: the rare one has the larger predictive variance.
        var features = SparseRowMatrix(columnCount: 3)
        var labels: [Bool] = []
        var generator = SeededGenerator(seed: 2)
        for i in 0..<404 {
            features.appendRow(columns: [0, i < 400 ? 1 : 2], values: [1, 1])
            labels.append(generator.nextUnitDouble() < 0.3)
        }
        let model = try LogisticRegression().fit(features: features, labels: labels, using: &generator)
        let precisions = model.laplacePrecisions(training: features)
        #expect(model.logitVariance(features, row: 0, precisions: precisions) < model.logitVariance(features, row: 401, precisions: precisions))
        #expect(precisions.coefficients[1] > precisions.coefficients[2])
    }

    @Test func logisticRegressionLearnsASeparableRule() throws {
        var features = SparseRowMatrix(columnCount: 2)
        var labels: [Bool] = []
        for i in 0..<400 {
            let positive = i % 2 == 0
            features.appendRow(columns: [positive ? 0 : 1], values: [1])
            labels.append(positive)
        }
        var generator = SeededGenerator(seed: 3)
        var configuration = LogisticRegression.Configuration()
        configuration.epochs = 60
        let model = try LogisticRegression(configuration: configuration).fit(features: features, labels: labels, using: &generator)
        #expect(model.probability(features, row: 0) > 0.9 && model.probability(features, row: 1) < 0.1)
        #expect(throws: LinearModelError.self) { _ = try LogisticRegression().fit(features: features, labels: [true], using: &generator) }
    }
}
