import VaneLinear
import VaneNeural
import VaneTensor

/// A model a stream replay trains step by step: it predicts P(convert) for a click and takes one
/// weighted mini-batch step at a time (rows may repeat with different labels, as DEFER's copies do).
public protocol OnlineClassifier: Sendable {
    func probability(_ features: SparseRowMatrix, row: Int) -> Float
    mutating func update(features: SparseRowMatrix, rows: [Int], labels: [Float], weights: [Float])
}

extension OnlineLogisticRegression: OnlineClassifier {}
extension OnlineSparseMLP: OnlineClassifier {}

/// The conversion model family a replay trains.
public enum ConversionClassifier: String, Sendable, CaseIterable {
    /// Logistic regression over hashed features with lazy sparse Adam (`OnlineLogisticRegression`).
    case logistic
    /// A small MLP over hashed features: embedding-bag first layer with sparse updates, dense ReLU
    /// layers (`OnlineSparseMLP`).
    case mlp
}
