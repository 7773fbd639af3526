import Foundation
import Testing
@testable import VaneNeural

@Suite("Polygamma and Beta")
struct PolygammaTests {
    @Test func digammaAndTrigammaMatchKnownValues() {
        let eulerGamma = 0.57721566490153286
        #expect(abs(Polygamma.digamma(1) + eulerGamma) < 1e-9)
        #expect(abs(Polygamma.digamma(0.5) - (-eulerGamma - 2 * log(2.0))) < 1e-9)
        #expect(abs(Polygamma.digamma(10) - 2.2517525890667211) < 1e-9)
        #expect(abs(Polygamma.trigamma(1) - Double.pi * Double.pi / 6) < 1e-9)
        #expect(abs(Polygamma.trigamma(0.5) - Double.pi * Double.pi / 2) < 1e-9)
    }

    @Test func trigammaIsTheDerivativeOfDigamma() {
        for x in [0.3, 1.7, 5.5, 6.5, 40.0] {
            let h = 1e-5
            let numeric = (Polygamma.digamma(x + h) - Polygamma.digamma(x - h)) / (2 * h)
            #expect(abs(numeric - Polygamma.trigamma(x)) < 1e-5 * max(1, Polygamma.trigamma(x)))
        }
    }

    @Test func betaMomentsAndEntropyByHand() {
        let uniform = BetaDistribution(alpha: 1, beta: 1)
        #expect(abs(uniform.entropy) < 1e-12)
        #expect(abs(uniform.variance - 1.0 / 12) < 1e-12)
        // E[-ln p] under the uniform belief is 1.
        #expect(abs(uniform.expectedCrossEntropy(label: 1) - 1) < 1e-9)
        let peaked = BetaDistribution(alpha: 30, beta: 10)
        #expect(abs(peaked.mean - 0.75) < 1e-12)
        #expect(peaked.entropy < uniform.entropy)
    }

    @Test func betaGradientsMatchFiniteDifferences() {
        let h = 1e-6
        for (a, b, y) in [(1.3, 2.2, 1.0), (4.0, 0.7, 0.0), (2.5, 9.0, 0.3)] {
            let belief = BetaDistribution(alpha: a, beta: b)
            let entropy = belief.entropyGradient, cross = belief.expectedCrossEntropyGradient(label: y)
            let dEntropyAlpha = (BetaDistribution(alpha: a + h, beta: b).entropy - BetaDistribution(alpha: a - h, beta: b).entropy) / (2 * h)
            let dEntropyBeta = (BetaDistribution(alpha: a, beta: b + h).entropy - BetaDistribution(alpha: a, beta: b - h).entropy) / (2 * h)
            let dCrossAlpha = (BetaDistribution(alpha: a + h, beta: b).expectedCrossEntropy(label: y)
                - BetaDistribution(alpha: a - h, beta: b).expectedCrossEntropy(label: y)) / (2 * h)
            let dCrossBeta = (BetaDistribution(alpha: a, beta: b + h).expectedCrossEntropy(label: y)
                - BetaDistribution(alpha: a, beta: b - h).expectedCrossEntropy(label: y)) / (2 * h)
            #expect(abs(dEntropyAlpha - entropy.alpha) < 1e-6)
            #expect(abs(dEntropyBeta - entropy.beta) < 1e-6)
            #expect(abs(dCrossAlpha - cross.alpha) < 1e-6)
            #expect(abs(dCrossBeta - cross.beta) < 1e-6)
        }
    }
}
