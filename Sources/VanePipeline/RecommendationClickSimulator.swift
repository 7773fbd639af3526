import Foundation
import VaneConversions
import VaneTabular
import VaneTensor

/// Simulates clicks on recommended (source, target) pairs: the link between the graph model and the
/// conversion model in the demo chain.
///
/// Story: each click picks a pair uniformly at a time with a daily cycle over `days`; it converts with
/// probability sigmoid(base + 0.8 z(score) + quality(target) + taste(source)), where z standardises
/// the recommender's score, quality ~ N(0, 0.8^2) and taste ~ N(0, 0.3^2) are hidden per item, and
/// base sets the overall rate near 20%. Delays: 45% exponential (mean 0.5 h), else log-normal
/// (median 24 h, sigma 1.2), dropped beyond 14 days. Converters add to cart with probability 0.7
/// before converting, others with 0.06 (timestamped cart adds; no view counts, which would carry no
/// times and so read the future). Pairs whose target is
/// rarely clicked give the conversion model little data: the uncertainty the decision stage uses.
public struct RecommendationClickSimulator: Sendable {
    public struct Pair: Sendable {
        public let source: String
        public let target: String
        public let score: Float
    }

    public let pairs: [Pair]
    public let clicks: Int
    public let days: Int

    public init(pairs: [Pair], clicks: Int, days: Int) {
        precondition(!pairs.isEmpty && clicks > 0 && days > 0, "RecommendationClickSimulator: need pairs, clicks and days")
        self.pairs = pairs
        self.clicks = clicks
        self.days = days
    }

    /// The simulated log as a table with Vane's click-log columns plus `converted` (the eventual
    /// label, for the decision stage's time-split evaluation). Rows are in click-time order.
    public func table(seed: UInt64) -> Table {
        var generator = SeededGenerator(seed: seed)
        let scores = pairs.map { Double($0.score) }
        let mean = scores.reduce(0, +) / Double(scores.count)
        let deviation = max(1e-6, (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count)).squareRoot())
        var quality: [String: Double] = [:], taste: [String: Double] = [:]
        for pair in pairs {
            if quality[pair.target] == nil { quality[pair.target] = 0.8 * generator.nextGaussian() }
            if taste[pair.source] == nil { taste[pair.source] = 0.3 * generator.nextGaussian() }
        }
        let clickTimes = ConversionSimulator.clickTimes(count: clicks, days: days, using: &generator)
        var conversionTimes: [Double] = [], cartTimes: [Double] = [], converted: [Double] = []
        var sourceCodes: [Int32] = [], targetCodes: [Int32] = [], recommenderScores: [Double] = []
        var sourceLevels: [String] = [], targetLevels: [String] = []
        var sourceCode: [String: Int32] = [:], targetCode: [String: Int32] = [:]
        for click in clickTimes {
            let pair = pairs[generator.nextIndex(below: pairs.count)]
            let z = (Double(pair.score) - mean) / deviation
            let logit = -1.8 + 0.8 * z + quality[pair.target]! + taste[pair.source]!
            var converts = generator.nextUnitDouble() < 1 / (1 + exp(-logit))
            var delay = Double.nan
            if converts {
                delay = ConversionSimulator.delay(fastShare: 0.45, fastMeanHours: 0.5, slowMedianHours: 24, slowSigma: 1.2, using: &generator)
                if delay > 14 * 24 { converts = false }
            }
            var cart = Double.nan
            if converts, generator.nextUnitDouble() < 0.7 {
                cart = click + delay * generator.nextUnitDouble()
            } else if !converts, generator.nextUnitDouble() < 0.06 {
                cart = click - 12 * log(1 - generator.nextUnitDouble())
            }
            conversionTimes.append(converts ? click + delay : .nan)
            cartTimes.append(cart)
            converted.append(converts ? 1 : 0)
            recommenderScores.append(Double(pair.score))
            if sourceCode[pair.source] == nil { sourceCode[pair.source] = Int32(sourceLevels.count); sourceLevels.append(pair.source) }
            if targetCode[pair.target] == nil { targetCode[pair.target] = Int32(targetLevels.count); targetLevels.append(pair.target) }
            sourceCodes.append(sourceCode[pair.source]!)
            targetCodes.append(targetCode[pair.target]!)
        }
        return Table(source: "simulated clicks on recommendations",
                     columnNames: ["click_time", "conversion_time", "cart_time", "converted", "source", "target", "recommender_score"],
                     columns: [.numeric(clickTimes), .numeric(conversionTimes), .numeric(cartTimes), .numeric(converted),
                               .categorical(codes: sourceCodes, levels: sourceLevels), .categorical(codes: targetCodes, levels: targetLevels),
                               .numeric(recommenderScores)])
    }
}
