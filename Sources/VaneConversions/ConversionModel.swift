import Foundation
import VaneIO
import VaneLinear
import VaneTabular
import VaneTensor

/// A trained conversion model ready to serve: the logistic model a delayed-feedback method produced
/// by replaying a whole log, the encoder that turns raw feature records into its inputs, and a
/// diagonal Laplace posterior (MacKay 1992) so every score comes with an uncertainty.
///
/// Scoring one record is O(features); the uncertainty is the predictive variance of the logit,
/// sum_j x_j^2 / lambda_j, large where the record's feature values were rarely seen in training.
public struct ConversionModel: Sendable {
    /// One scored record.
    public struct Prediction: Sendable, Equatable {
        /// P(converts within attribution | features).
        public let probability: Double
        /// Predictive variance of the logit under the Laplace posterior.
        public let uncertainty: Double
    }

    public let method: DelayedFeedbackMethod
    public let encoder: TableFeatureEncoder
    public let model: FittedLogisticRegression
    /// Laplace precisions of the coefficients (one per encoded column) and of the bias.
    public let coefficientPrecisions: [Double]
    public let biasPrecision: Double
    /// Free-form facts about training (log, rows, window, seed), kept in the model file.
    public let details: [String: String]

    public init(method: DelayedFeedbackMethod, encoder: TableFeatureEncoder, model: FittedLogisticRegression,
                coefficientPrecisions: [Double], biasPrecision: Double, details: [String: String] = [:]) {
        precondition(model.coefficients.count == encoder.columnCount && coefficientPrecisions.count == encoder.columnCount,
                     "ConversionModel: coefficients, precisions and encoder disagree on the column count")
        self.method = method
        self.encoder = encoder
        self.model = model
        self.coefficientPrecisions = coefficientPrecisions
        self.biasPrecision = biasPrecision
        self.details = details
    }

    /// Scores one raw record (feature name -> value); errors name `source` and the bad field. A record
    /// whose values lie so far outside the training range that the score or its uncertainty is not
    /// finite (e.g. a numeric feature of 1e40) is refused rather than answered with NaN.
    public func predict(record: [String: FeatureValue], source: String) throws(InputError) -> Prediction {
        let (columns, values) = try encoder.encode(record: record, source: source)
        let prediction = predict(columns: columns[...], values: values[...])
        guard prediction.probability.isFinite, prediction.uncertainty.isFinite else {
            throw InputError(.invalidNumber, file: source,
                             "the features give a non-finite score or uncertainty; a numeric value is far outside the range the model was trained on")
        }
        return prediction
    }

    /// Scores row `row` of features already encoded by `encoder` (e.g. `encoder.encode(table, rows:)`).
    public func predict(features: SparseRowMatrix, row: Int) -> Prediction {
        let range = features.rowOffsets[row]..<features.rowOffsets[row + 1]
        return predict(columns: features.columnIndices[range], values: features.values[range])
    }

    func predict(columns: ArraySlice<Int32>, values: ArraySlice<Float>) -> Prediction {
        let probability = method.servedProbability(Sigmoid.value(model.logit(columns: columns, values: values)))
        let uncertainty = model.logitVariance(columns: columns, values: values, precisions: (coefficientPrecisions, biasPrecision))
        return Prediction(probability: Double(probability), uncertainty: uncertainty)
    }
}

extension StreamReplay {
    /// Trains a servable model: replays the whole log under `method` (pretraining, then every step's
    /// stream) and attaches the Laplace posterior of the final coefficients over all clicks.
    /// O(clicks x nnz).
    public func train(_ log: ClickLog, method: DelayedFeedbackMethod, seed: UInt64,
                      progress: ((Int, Int) -> Void)? = nil) throws -> ConversionModel {
        guard let encoder = log.encoder else {
            throw ConversionError(.invalidInput, "\(log.source): the log has no feature encoder; load it from a file to train a servable model")
        }
        guard configuration.classifier == .logistic else {
            throw ConversionError(.invalidConfiguration, "a servable conversion model is logistic (its Laplace posterior gives the served uncertainty); got \(configuration.classifier.rawValue)")
        }
        let preparation = try prepare(log, seed: seed)
        let steps = preparation.streams.stepCount
        let (result, trained) = replay(method, preparation) { progress?($0, steps) }
        guard let online = trained as? OnlineLogisticRegression else { preconditionFailure("a logistic replay trains a logistic model") }
        let fitted = FittedLogisticRegression(coefficients: online.coefficients, bias: online.bias, l2: configuration.model.l2)
        guard fitted.coefficients.allSatisfy(\.isFinite), fitted.bias.isFinite else {
            throw ConversionError(.invalidConfiguration, "training diverged; lower the learning rate (now \(configuration.model.learningRate))")
        }
        let precisions = fitted.laplacePrecisions(training: log.features)
        let details = ["log": log.source, "clicks": String(log.count), "steps": String(steps),
                       "window_hours": String(configuration.windowHours), "seed": String(seed),
                       "replay_auc": String(format: "%.4f", result.auc), "replay_nll": String(format: "%.4f", result.nll)]
        return ConversionModel(method: method, encoder: encoder, model: fitted, coefficientPrecisions: precisions.coefficients,
                               biasPrecision: precisions.bias, details: details)
    }
}
