import Foundation
import Testing
import VaneLinear
import VaneTensor

/// Rows with one informative column (0: positive evidence, 1: negative evidence) and a noise column 2.
private func toyProblem(rows: Int, seed: UInt64) -> (SparseRowMatrix, [Bool]) {
    var generator = SeededGenerator(seed: seed)
    var features = SparseRowMatrix(columnCount: 3)
    var labels: [Bool] = []
    for _ in 0..<rows {
        let positive = generator.nextUnitDouble() < 0.5
        // The informative column agrees with the label 90% of the time.
        let agrees = generator.nextUnitDouble() < 0.9
        let column: Int32 = (positive == agrees) ? 0 : 1
        features.appendRow(columns: [column, 2], values: [1, Float(generator.nextUnitDouble())])
        labels.append(positive)
    }
    return (features, labels)
}

@Suite("Logistic regression")
struct LogisticRegressionTests {
    @Test func oneAdamStepMovesEachTouchedCoefficientByTheLearningRate() {
        // Hand-checked: at w = 0, p = 0.5; row x = (2 at column 0), y = 1: gradient (0.5 - 1) * 2 = -1,
        // bias gradient -0.5. Adam's first step is -lr * g / |g| (bias-corrected moments), so +0.05 each.
        var features = SparseRowMatrix(columnCount: 2)
        features.appendRow(columns: [0], values: [2])
        var model = OnlineLogisticRegression(columnCount: 2)
        model.update(features: features, rows: [0], labels: [1], weights: [1])
        #expect(abs(model.coefficients[0] - 0.05) < 1e-5)
        #expect(model.coefficients[1] == 0)
        #expect(abs(model.bias - 0.05) < 1e-5)
        #expect(model.step == 1)
    }

    @Test func zeroWeightRowsDoNotMoveTheModel() {
        var features = SparseRowMatrix(columnCount: 2)
        features.appendRow(columns: [0, 1], values: [1, 1])
        var model = OnlineLogisticRegression(columnCount: 2)
        model.update(features: features, rows: [0], labels: [1], weights: [0])
        #expect(model.coefficients == [0, 0])
        #expect(model.bias == 0)
    }

    @Test func fitLearnsTheInformativeColumnAndIsSeeded() throws {
        let (features, labels) = toyProblem(rows: 4000, seed: 7)
        var first = SeededGenerator(seed: 1), second = SeededGenerator(seed: 1)
        let model = try LogisticRegression().fit(features: features, labels: labels, using: &first)
        let again = try LogisticRegression().fit(features: features, labels: labels, using: &second)
        #expect(model == again)
        // P(y | column 0) = 0.9 and P(y | column 1) = 0.1: logits +-log 9, a gap of 2 log 9 = 4.39.
        let gap = model.coefficients[0] - model.coefficients[1]
        #expect(gap > 3.9 && gap < 4.9)
        var rows = SparseRowMatrix(columnCount: 3)
        rows.appendRow(columns: [0, 2], values: [1, 0.5])
        rows.appendRow(columns: [1, 2], values: [1, 0.5])
        #expect(abs(model.probability(rows, row: 0) - 0.9) < 0.03)
        #expect(abs(model.probability(rows, row: 1) - 0.1) < 0.03)
    }

    @Test func laplacePrecisionsAtZeroAreThePriorPlusAQuarterOfTheSquares() {
        // At w = 0 every p is 0.5, so the curvature p(1 - p) is 0.25 on every row.
        var features = SparseRowMatrix(columnCount: 2)
        features.appendRow(columns: [0], values: [2])
        features.appendRow(columns: [0, 1], values: [1, 3])
        let model = FittedLogisticRegression(coefficients: [0, 0], bias: 0, l2: 0.5)
        let precisions = model.laplacePrecisions(training: features)
        let prior = 0.5 * 2 + 1e-6
        #expect(abs(precisions.coefficients[0] - (prior + 0.25 * (4 + 1))) < 1e-9)
        #expect(abs(precisions.coefficients[1] - (prior + 0.25 * 9)) < 1e-9)
        #expect(abs(precisions.bias - (prior + 0.5)) < 1e-9)
        // Variance of a row's logit: sum x^2 / lambda plus the bias term.
        let variance = model.logitVariance(features, row: 1, precisions: precisions)
        #expect(abs(variance - (1 / precisions.bias + 1 / precisions.coefficients[0] + 9 / precisions.coefficients[1])) < 1e-9)
    }

    @Test func invalidSettingsAndInputsNameTheirCodeAndField() {
        var configuration = LogisticRegression.Configuration()
        configuration.learningRate = 0
        #expect(throws: LinearModelError(.invalidConfiguration, "learningRate must be positive, got 0.0", field: "learningRate")) {
            _ = try LogisticRegression(configuration: configuration)
        }
        configuration = .init()
        configuration.l2 = .nan
        do { _ = try LogisticRegression(configuration: configuration); Issue.record("NaN l2 accepted") } catch {
            #expect(error.field == "l2")
        }
        var features = SparseRowMatrix(columnCount: 1)
        features.appendRow(columns: [0], values: [1])
        var generator = SeededGenerator(seed: 1)
        do { _ = try LogisticRegression().fit(features: features, labels: [true, false], using: &generator); Issue.record("label count not checked") } catch {
            #expect(error.code == .invalidInput)
        }
        do { _ = try LogisticRegression().fit(features: features, labels: [true], weights: [-1], using: &generator); Issue.record("negative weight accepted") } catch {
            #expect(error.code == .invalidInput)
        }
    }
}

@Suite("Logistic gradients across processes")
struct LogisticGradientTests {
    @Test func partsAreSummedColumnByColumnInTheirOrder() {
        let a = LogisticGradient(columns: [3, 1], values: [0.5, -1], bias: 0.25)
        let b = LogisticGradient(columns: [1, 7], values: [2, 4], bias: -0.5)
        let sum = LogisticGradient(summing: [a, b])
        #expect(sum == LogisticGradient(columns: [3, 1, 7], values: [0.5, 1, 4], bias: -0.25))
        // One part comes back unchanged, bit for bit (a -0.0 stays -0.0).
        let single = LogisticGradient(columns: [2], values: [-0.0], bias: -0.0)
        #expect(LogisticGradient(summing: [single]).values[0].sign == .minus)
        #expect(LogisticGradient(summing: [single]).bias.sign == .minus)
    }

    @Test func updateIsTheAppliedGradientAndTwoHalvesMakeTheWholeBatch() {
        let (features, labels) = toyProblem(rows: 64, seed: 4)
        let rows = Array(0..<64), targets = labels.map { $0 ? Float(1) : 0 }
        let weights = rows.map { Float(1 + $0 % 3) }
        var whole = OnlineLogisticRegression(columnCount: 3), split = whole, applied = whole
        for _ in 0..<5 {
            whole.update(features: features, rows: rows, labels: targets, weights: weights)
            applied.apply(applied.gradient(features: features, rows: rows, labels: targets, weights: weights, sampleCount: 64))
            // Two processes' halves, each divided by the whole batch's size, then summed.
            let first = split.gradient(features: features, rows: Array(rows[..<40]), labels: Array(targets[..<40]), weights: Array(weights[..<40]), sampleCount: 64)
            let second = split.gradient(features: features, rows: Array(rows[40...]), labels: Array(targets[40...]), weights: Array(weights[40...]), sampleCount: 64)
            split.apply(LogisticGradient(summing: [first, second]))
        }
        #expect(applied.coefficients == whole.coefficients && applied.bias == whole.bias)
        for k in 0..<3 { #expect(abs(split.coefficients[k] - whole.coefficients[k]) < 1e-5) }
        #expect(abs(split.bias - whole.bias) < 1e-5 && split.step == whole.step)
    }
}
