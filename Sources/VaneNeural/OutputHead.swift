import Foundation
import VaneTensor

/// What the last layer of a `SparseMLP` predicts, and the loss it is trained with.
public enum OutputHead: Sendable, Equatable, Codable {
    /// One logit; P(y = 1) = sigmoid(o); loss: binary cross-entropy.
    case bernoulli
    /// Two outputs giving a Beta belief over P(y = 1): alpha = 1 + softplus(o0), beta = 1 + softplus(o1)
    /// (uniform prior plus non-negative evidence). Loss: expected cross-entropy under the Beta minus
    /// `entropyWeight` x its differential entropy, the posterior network's objective (Charpentier et al.,
    /// NeurIPS 2020), which keeps evidence from growing where the data do not support it.
    case beta(entropyWeight: Float)

    /// Width of the output layer.
    public var outputCount: Int {
        switch self {
        case .bernoulli: 1
        case .beta: 2
        }
    }

    /// The Beta belief of two raw outputs.
    static func belief(_ outputs: UnsafePointer<Float>) -> BetaDistribution {
        BetaDistribution(alpha: 1 + Double(Softplus.value(outputs[0])), beta: 1 + Double(Softplus.value(outputs[1])))
    }

    /// P(y = 1) of raw outputs: sigmoid of the logit, or the Beta mean.
    func probability(_ outputs: UnsafePointer<Float>) -> Float {
        switch self {
        case .bernoulli: Sigmoid.value(outputs[0])
        case .beta: Float(Self.belief(outputs).mean)
        }
    }

    /// Loss of one example with a soft label in [0, 1]; writes d loss / d outputs into `gradient`.
    func loss(outputs: UnsafePointer<Float>, label: Float, gradient: UnsafeMutablePointer<Float>) -> Double {
        switch self {
        case .bernoulli:
            let logit = outputs[0]
            gradient[0] = Sigmoid.value(logit) - label
            // Stable BCE with logits: max(o, 0) - o y + log(1 + e^-|o|).
            return Double(max(logit, 0) - logit * label + log1p(exp(-abs(logit))))
        case .beta(let entropyWeight):
            let belief = Self.belief(outputs)
            let y = Double(label), lambda = Double(entropyWeight)
            let cross = belief.expectedCrossEntropyGradient(label: y)
            let entropy = belief.entropyGradient
            // d alpha / d o0 = sigmoid(o0) (softplus'), likewise for beta.
            gradient[0] = Float((cross.alpha - lambda * entropy.alpha) * Double(Sigmoid.value(outputs[0])))
            gradient[1] = Float((cross.beta - lambda * entropy.beta) * Double(Sigmoid.value(outputs[1])))
            return belief.expectedCrossEntropy(label: y) - lambda * belief.entropy
        }
    }
}
