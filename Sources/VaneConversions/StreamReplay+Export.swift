import Foundation
import VaneLinear
import VaneTensor

extension StreamReplay.Preparation {
    /// One step of a method's stream as data: the clicks scored at the step (before training), then
    /// the samples trained on during it, in mini-batch order.
    public struct Step: Sendable {
        public let scored: [Int]
        public let rows: [Int]
        public let labels: [Float]
        public let weights: [Float]
    }

    /// The pretrained logistic model the replay starts from (nil when the replay trains an MLP).
    public var pretrainedLogistic: OnlineLogisticRegression? { pretrained as? OnlineLogisticRegression }

    /// Number of replay steps.
    public var stepCount: Int { streams.stepCount }

    /// Every step of `method`'s stream, for a peer implementation to replay the same work. Only for
    /// methods whose samples do not depend on the model being trained (vanilla, oracle, FNC, FSIW,
    /// ES-DFM, DEFUSE); FNW and DEFER weigh samples by the current prediction, and engagement's
    /// revision pairs are batched with its samples.
    public func steps(of method: DelayedFeedbackMethod) throws(ConversionError) -> [Step] {
        guard ![.fnw, .defer].contains(method) else {
            throw ConversionError(.invalidConfiguration, "\(method.rawValue)'s samples depend on the model being trained; export a model-free method")
        }
        guard method != .engagement else {
            throw ConversionError(.invalidConfiguration, "engagement's revision pairs are batched with its samples (StreamReplay.batches), not in equal parts of the step's samples; export another method")
        }
        var shuffles = SeededGenerator(seed: shuffleSeed)
        return (0..<streams.stepCount).map { s in
            let (rows, labels, weights) = streams.trainingSamples(method, step: s, auxiliary: auxiliary) { _ in
                preconditionFailure("a model-free stream asked for a prediction")
            }
            // The replay's own order (StreamReplay.batches): its n samples cut into ceil(n / batch size)
            // parts of equal size (within one) are its batches.
            let order = StreamReplay.batches(count: rows.count, regular: nil, batchSize: max(1, rows.count), using: &shuffles).flatMap(\.indices)
            return Step(scored: streams.clicks[s], rows: order.map { rows[$0] }, labels: order.map { labels[$0] }, weights: order.map { weights[$0] })
        }
    }
}
