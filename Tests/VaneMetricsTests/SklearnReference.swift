import Testing
import VaneMetrics

/// Literals produced by `python3 scripts/metrics-reference.py` (scikit-learn 1.9.1).
enum SklearnReference {
    static let scores: [Double] = [0.2, 0.6, 0.5, 0.4, 0.4, 0.8, 0.9, 0.2, 0.7, 0.3, 1.0, 0.9, 0.6, 0.8, 0.5, 0.8, 0.4, 0.3, 0.3, 0.2, 0.5, 0.4, 0.7, 0.0, 0.4, 0.4, 0.2, 0.6, 0.4, 0.3, 0.2, 0.9, 0.8, 0.6, 0.3, 0.9, 0.6, 0.4, 0.9, 0.3]
    static let labels: [Bool] = [false, true, true, false, true, true, true, true, false, false, true, true, true, true, true, true, false, false, true, false, false, true, true, true, false, false, true, true, false, true, false, true, false, false, false, true, true, false, true, true]
    static let probabilities: [Double] = [0.282, 0.672, 0.487, 0.093, 0.020, 0.604, 0.491, 0.601, 0.564, 0.890, 0.918, 0.188, 0.942, 0.788, 0.639, 0.660, 0.546, 0.917, 0.233, 0.599, 0.814, 0.135, 0.616, 0.403, 0.766, 0.068, 0.607, 0.857, 0.628, 0.321, 0.656, 0.338, 0.669, 0.128, 0.280, 0.033, 0.084, 0.555, 0.232, 0.516]
    static let weights: [Double] = [1.32, 1.76, 0.71, 0.64, 0.63, 0.24, 1.33, 1.64, 0.95, 1.12, 1.92, 1.40, 1.49, 1.78, 0.43, 1.30, 1.43, 1.68, 0.69, 1.38, 1.21, 0.82, 0.20, 0.71, 1.93, 0.43, 0.23, 0.74, 0.20, 0.53, 1.83, 0.64, 1.17, 0.48, 1.34, 0.26, 1.58, 0.85, 0.37, 1.52]
    static let expectedAUC = 0.704427083333
    static let expectedAveragePrecision = 0.806066400919
    static let expectedLogLoss = 1.017753347526
    static let expectedWeightedLogLoss = 0.988939551194
    static let expectedRecallAtPrecision70 = 0.666666666667
    static let expectedRecallAtPrecision85 = 0.375000000000
}
