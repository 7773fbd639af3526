import Foundation
import VaneTensor

/// Generates clicks, timestamped engagement and delayed conversions with a known ground truth, in
/// Vane's CSV format.
///
/// Generative story (each number a configurable field; `Scenario` gives four documented settings):
/// - Click times: uniform days, hour of day with a daily cycle (density 1 + 0.6 sin(2 pi (h - 6) / 24),
///   busiest mid-afternoon), over `days` days.
/// - Features: `advertiser` (Zipf(1.1) over 300), `item` (Zipf(1.1) over 20,000: most items rare),
///   `segment` (uniform over 40), `device` (4), numeric `price` and `recency` ~ N(0, 1).
/// - Conversion: logit = base + advertiser effect N(0, 0.8^2) + item effect N(0, 0.7^2) + segment
///   effect N(0, 0.4^2) + device effect N(0, 0.2^2) - 0.3 price + 0.2 recency; `base` is set so about
///   23% of clicks convert, as in Criteo's conversion logs (Chapelle, KDD 2014). With `drift` d > 0 the
///   advertiser effects rotate towards a second independent draw, a(t) = cos(theta) a + sin(theta) a',
///   theta = d (pi / 2) t / T, and the slow delays lengthen by a factor 1 + 2 d t / T over the log.
/// - Delay of a conversion: with probability `fastShare` exponential with mean `fastMeanHours`, else
///   log-normal with median `slowMedianHours` and sigma `slowSigma`; conversions later than the
///   attribution window (14 days) are dropped, so those clicks are negatives. The default mixture
///   (0.6, 0.12 h, 2.5 h, 2.5) puts the median near 11 minutes, p90 near 11-16 hours and about 1% past
///   14 days, the shape of RetailRocket's view-to-purchase delays (median ~11 min, p90 ~11 h, p99 ~16 d).
/// - Engagement with times, truly predictive: a converter with delay D adds to cart with probability
///   `cartRateConverters` (RetailRocket: 87% of buyers carted first), favourites with
///   `favouriteRateConverters` and views the item Poisson(`viewsMeanConverters`) more times, each at
///   click + D u, u ~ U(0, 1) (before the purchase); a non-converter carts with `cartRateOthers`
///   (RetailRocket: 2.3%), favourites with `favouriteRateOthers` and views Poisson(`viewsMeanOthers`)
///   times, each at click + Exponential(mean `otherEngagementMeanHours`). P(cart | buy) / P(cart | no
///   buy) = 0.87 / 0.023 = 38 is the calibrated quantity: RetailRocket's "P(buy | cart) ~31x the base
///   rate" holds at its base rate of ~1%, and at 23% no lift can exceed 1 / 0.23.
/// - Heterogeneous laws (all off by default; the `heterogeneous` scenario turns them on): with
///   `delayShape` k set, the slow component is Weibull(k) with median `slowMedianHours` instead of
///   log-normal; `priceDelayElasticity` e multiplies every delay by exp(e price) (dear items convert
///   later); a `slowAdvertiserShare` of the advertisers have every delay times `slowAdvertiserFactor`;
///   with `intentStrength` s each click draws a latent intent I ~ N(0, 1) that adds s I to the
///   conversion logit and multiplies a non-converter's cart probability by exp(s I - s^2 / 2) (the
///   mean unchanged), so carts by non-buyers come from clicks that looked like buyers. Delays then
///   depend on the features in a way the mixture's do not, and a flip model over additive features
///   and time waited is misspecified.
public struct ConversionSimulator: Sendable {
    /// Named settings of the story, each documented by what differs from `standard`.
    public enum Scenario: String, Sendable, CaseIterable {
        /// The calibrated delays and engagement above.
        case standard = "default"
        /// Long delays (Taobao-like tails and longer): 10% fast (mean 0.5 h), else median 72 h, sigma
        /// 1.0, so most conversions arrive days after the click; engagement as in `default`.
        case slow
        /// Engagement that barely predicts: converters cart with 0.30, others 0.15; favourites 0.05 vs
        /// 0.03; views Poisson(1.3) vs Poisson(1). Delays as in `default`.
        case weakEngagement = "weak-engagement"
        /// `default` with drift 1: the advertiser effects rotate a quarter turn over the log and the
        /// slow delays triple, so models fitted once grow stale.
        case drift
        /// Other laws than the four above (added after the engagement method's defaults were fixed, as
        /// a check on laws it was not tuned to): 10% fast conversions (mean 0.5 h), else Weibull(0.5)
        /// with median 24 h; delays x exp(0.7 price); a quarter of the advertisers 5x slower; latent
        /// intent of strength 0.8; carts by 75% of buyers and 4% of others.
        case heterogeneous

        /// The scenario's configuration with `clicks` clicks over `days` days.
        public func configuration(clicks: Int = 1_000_000, days: Int = 60) -> Configuration {
            var c = Configuration()
            c.clicks = clicks
            c.days = days
            switch self {
            case .standard: break
            case .slow:
                c.fastShare = 0.1
                c.fastMeanHours = 0.5
                c.slowMedianHours = 72
                c.slowSigma = 1.0
            case .weakEngagement:
                c.cartRateConverters = 0.30
                c.cartRateOthers = 0.15
                c.favouriteRateConverters = 0.05
                c.favouriteRateOthers = 0.03
                c.viewsMeanConverters = 1.3
                c.viewsMeanOthers = 1
            case .drift:
                c.drift = 1
            case .heterogeneous:
                c.fastShare = 0.1
                c.fastMeanHours = 0.5
                c.slowMedianHours = 24
                c.delayShape = 0.5
                c.priceDelayElasticity = 0.7
                c.slowAdvertiserShare = 0.25
                c.slowAdvertiserFactor = 5
                c.intentStrength = 0.8
                c.cartRateConverters = 0.75
                c.cartRateOthers = 0.04
            }
            return c
        }
    }

    public struct Configuration: Sendable {
        public var clicks = 1_000_000
        public var days = 60
        public var conversionRate = 0.23
        public var attributionWindowHours = 14.0 * 24
        public var fastShare = 0.6
        public var fastMeanHours = 0.12
        public var slowMedianHours = 2.5
        public var slowSigma = 2.5
        public var cartRateConverters = 0.87
        public var cartRateOthers = 0.023
        public var favouriteRateConverters = 0.25
        public var favouriteRateOthers = 0.02
        public var viewsMeanConverters = 3.0
        public var viewsMeanOthers = 1.0
        public var otherEngagementMeanHours = 12.0
        /// 0 (stationary) to 1: how far the advertiser effects rotate and the slow delays stretch over the log.
        public var drift = 0.0
        /// Weibull shape of the slow delay component (median `slowMedianHours`); nil: log-normal.
        public var delayShape: Double?
        /// e in delay x exp(e price).
        public var priceDelayElasticity = 0.0
        /// Share of advertisers whose delays are `slowAdvertiserFactor` times longer.
        public var slowAdvertiserShare = 0.0
        public var slowAdvertiserFactor = 1.0
        /// s: a latent intent I ~ N(0, 1) adds s I to the conversion logit and scales a non-converter's
        /// cart probability by exp(s I - s^2 / 2); 0: no intent drawn.
        public var intentStrength = 0.0
        public init() {}

        public func validate() throws(ConversionError) {
            guard clicks >= 100, clicks <= 50_000_000 else { throw ConversionError(.invalidConfiguration, "clicks must be in 100...50,000,000, got \(clicks)") }
            guard days >= 2, days <= 3650 else { throw ConversionError(.invalidConfiguration, "days must be in 2...3650, got \(days)") }
            guard conversionRate > 0, conversionRate < 1 else { throw ConversionError(.invalidConfiguration, "conversionRate must be in (0, 1), got \(conversionRate)") }
            guard fastShare >= 0, fastShare <= 1 else { throw ConversionError(.invalidConfiguration, "fast share must be in [0, 1], got \(fastShare)") }
            guard fastMeanHours > 0, fastMeanHours.isFinite, slowMedianHours > 0, slowMedianHours.isFinite, slowSigma > 0, slowSigma.isFinite else {
                throw ConversionError(.invalidConfiguration, "delay parameters must be positive and finite (fast mean \(fastMeanHours) h, slow median \(slowMedianHours) h, sigma \(slowSigma))")
            }
            guard attributionWindowHours > 0, attributionWindowHours.isFinite else {
                throw ConversionError(.invalidConfiguration, "attribution window must be positive, got \(attributionWindowHours) h")
            }
            for (name, rate) in [("cart rate of converters", cartRateConverters), ("cart rate of others", cartRateOthers),
                                 ("favourite rate of converters", favouriteRateConverters), ("favourite rate of others", favouriteRateOthers)] {
                guard rate >= 0, rate <= 1 else { throw ConversionError(.invalidConfiguration, "\(name) must be in [0, 1], got \(rate)") }
            }
            guard viewsMeanConverters >= 0, viewsMeanConverters <= 50, viewsMeanOthers >= 0, viewsMeanOthers <= 50 else {
                throw ConversionError(.invalidConfiguration, "mean views must be in [0, 50] (converters \(viewsMeanConverters), others \(viewsMeanOthers))")
            }
            guard otherEngagementMeanHours > 0, otherEngagementMeanHours <= 24 * 365 else {
                throw ConversionError(.invalidConfiguration, "non-converters' engagement mean must be in (0, 8760] hours, got \(otherEngagementMeanHours)")
            }
            guard drift >= 0, drift <= 1 else { throw ConversionError(.invalidConfiguration, "drift must be in [0, 1], got \(drift)") }
            if let delayShape, !(delayShape >= 0.1 && delayShape <= 10) {
                throw ConversionError(.invalidConfiguration, "delay shape must be in [0.1, 10], got \(delayShape)")
            }
            guard priceDelayElasticity.magnitude <= 3 else {
                throw ConversionError(.invalidConfiguration, "price delay elasticity must be in [-3, 3], got \(priceDelayElasticity)")
            }
            guard slowAdvertiserShare >= 0, slowAdvertiserShare <= 1, slowAdvertiserFactor >= 1, slowAdvertiserFactor <= 100 else {
                throw ConversionError(.invalidConfiguration,
                                      "slow advertisers: share must be in [0, 1] and factor in [1, 100], got \(slowAdvertiserShare) and \(slowAdvertiserFactor)")
            }
            guard intentStrength >= 0, intentStrength <= 3 else {
                throw ConversionError(.invalidConfiguration, "intent strength must be in [0, 3], got \(intentStrength)")
            }
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) throws(ConversionError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Writes the simulated log to `path`, in click-time order. Returns (clicks, conversions).
    /// `.vane`: the CSV with engagement times. `.criteo`: the same clicks and conversions (the same
    /// draws) as Criteo's `data.txt` without engagement: timestamps in whole seconds, price and
    /// recency x 1000 as integer features 1-2, advertiser, item, segment and device as categorical
    /// features 1-4, the other fields empty.
    public func write(to path: String, seed: UInt64, format: ClickLog.Format = .vane,
                      progress: ((Int) -> Void)? = nil) throws -> (clicks: Int, conversions: Int) {
        let c = configuration
        var generator = SeededGenerator(seed: seed)
        func zipfTable(_ n: Int) -> [Double] {
            var cumulative = [Double](repeating: 0, count: n)
            var total = 0.0
            for i in 0..<n { total += pow(Double(i + 1), -1.1); cumulative[i] = total }
            return cumulative.map { $0 / total }
        }
        func draw(_ cumulative: [Double]) -> Int {
            let u = generator.nextUnitDouble()
            var low = 0, high = cumulative.count - 1
            while low < high { let middle = (low + high) / 2; if cumulative[middle] < u { low = middle + 1 } else { high = middle } }
            return low
        }
        let advertisers = zipfTable(300), items = zipfTable(20_000)
        let advertiserEffect = (0..<300).map { _ in 0.8 * generator.nextGaussian() }
        let driftedAdvertiserEffect = (0..<300).map { _ in 0.8 * generator.nextGaussian() }
        let itemEffect = (0..<20_000).map { _ in 0.7 * generator.nextGaussian() }
        let segmentEffect = (0..<40).map { _ in 0.4 * generator.nextGaussian() }
        let deviceEffect = (0..<4).map { _ in 0.2 * generator.nextGaussian() }
        // Drawn only when used, so the other scenarios' draws are unchanged.
        let slowAdvertiser = c.slowAdvertiserShare > 0 ? (0..<300).map { _ in generator.nextUnitDouble() < c.slowAdvertiserShare } : []
        // Base logit for the target rate, set by bisection on a sample of the other effects.
        var sample: [Double] = []
        for _ in 0..<20_000 {
            sample.append(advertiserEffect[draw(advertisers)] + itemEffect[draw(items)] + segmentEffect[generator.nextIndex(below: 40)]
                          + deviceEffect[generator.nextIndex(below: 4)] - 0.3 * generator.nextGaussian() + 0.2 * generator.nextGaussian()
                          + (c.intentStrength > 0 ? c.intentStrength * generator.nextGaussian() : 0))
        }
        var low = -10.0, high = 10.0
        for _ in 0..<50 {
            let base = (low + high) / 2
            let rate = sample.reduce(0) { $0 + 1 / (1 + exp(-(base + $1))) } / Double(sample.count)
            if rate < c.conversionRate { low = base } else { high = base }
        }
        let base = (low + high) / 2

        let clickTimes = Self.clickTimes(count: c.clicks, days: c.days, using: &generator)
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
        }() else { throw ConversionError(.invalidInput, "\(path): cannot create") }
        try handle.truncate(atOffset: 0)
        defer { try? handle.close() }
        var text = format == .criteo ? "" : "click_id,click_time,conversion_time,view_times,cart_times,favourite_times,advertiser,item,segment,device,price,recency\n"
        var conversions = 0
        let span = Double(c.days) * 24
        for (i, click) in clickTimes.enumerated() {
            let advertiser = draw(advertisers), item = draw(items)
            let segment = generator.nextIndex(below: 40), device = generator.nextIndex(below: 4)
            let price = generator.nextGaussian(), recency = generator.nextGaussian()
            let progressThroughLog = min(1, click / span)
            let theta = c.drift * Double.pi / 2 * progressThroughLog
            let advertiserTerm = cos(theta) * advertiserEffect[advertiser] + sin(theta) * driftedAdvertiserEffect[advertiser]
            let intent = c.intentStrength > 0 ? generator.nextGaussian() : 0
            let logit = base + advertiserTerm + itemEffect[item] + segmentEffect[segment] + deviceEffect[device] - 0.3 * price + 0.2 * recency
                + c.intentStrength * intent
            var converts = generator.nextUnitDouble() < 1 / (1 + exp(-logit))
            var delay = Double.nan
            if converts {
                let slowMedian = c.slowMedianHours * (1 + 2 * c.drift * progressThroughLog)
                delay = Self.delay(fastShare: c.fastShare, fastMeanHours: c.fastMeanHours, slowMedianHours: slowMedian, slowSigma: c.slowSigma,
                                   slowShape: c.delayShape, using: &generator)
                if c.priceDelayElasticity != 0 { delay *= exp(c.priceDelayElasticity * price) }
                if !slowAdvertiser.isEmpty, slowAdvertiser[advertiser] { delay *= c.slowAdvertiserFactor }
                if delay > c.attributionWindowHours { converts = false }
            }
            // Engagement: a converter's events fall between click and purchase, others' after an
            // exponential wait.
            func eventTime() -> Double {
                converts ? click + delay * generator.nextUnitDouble() : click - c.otherEngagementMeanHours * log(1 - generator.nextUnitDouble())
            }
            func times(_ count: Int) -> String {
                (0..<count).map { _ in eventTime() }.sorted().map { String(format: "%.4f", $0) }.joined(separator: ";")
            }
            let intentLift = c.intentStrength > 0 ? exp(c.intentStrength * intent - c.intentStrength * c.intentStrength / 2) : 1
            let carts = generator.nextUnitDouble() < (converts ? c.cartRateConverters : min(1, c.cartRateOthers * intentLift)) ? 1 : 0
            let favourites = generator.nextUnitDouble() < (converts ? c.favouriteRateConverters : c.favouriteRateOthers) ? 1 : 0
            let views = Self.poisson(mean: converts ? c.viewsMeanConverters : c.viewsMeanOthers, using: &generator)
            if converts { conversions += 1 }
            func time(_ value: Double) -> String { value.isNaN ? "" : String(format: "%.4f", value) }
            // Drawn in either format, so a seed gives the same clicks and conversions in both.
            let viewTimes = times(views), cartTimes = times(carts), favouriteTimes = times(favourites)
            if format == .criteo {
                func seconds(_ hours: Double) -> String { String(Int64((hours * 3600).rounded(.down))) }
                let fields = [seconds(click), converts ? seconds(click + delay) : "",
                              String(Int((price * 1000).rounded())), String(Int((recency * 1000).rounded())), "", "", "", "", "", "",
                              "a\(advertiser)", "i\(item)", "s\(segment)", "d\(device)", "", "", "", "", ""]
                text += fields.joined(separator: "\t") + "\n"
            } else {
                text += "\(i),\(time(click)),\(converts ? time(click + delay) : ""),\(viewTimes),\(cartTimes),\(favouriteTimes),a\(advertiser),i\(item),s\(segment),d\(device),\(String(format: "%.3f", price)),\(String(format: "%.3f", recency))\n"
            }
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text = ""
                progress?(i + 1)
            }
        }
        handle.write(Data(text.utf8))
        progress?(c.clicks)
        return (c.clicks, conversions)
    }

    /// Sorted click times in hours over `days`, with the daily cycle 1 + 0.6 sin(2 pi (h - 6) / 24)
    /// (rejection sampling).
    public static func clickTimes(count: Int, days: Int, using generator: inout SeededGenerator) -> [Double] {
        var times = (0..<count).map { _ -> Double in
            while true {
                let hour = 24 * generator.nextUnitDouble()
                if generator.nextUnitDouble() * 1.6 < 1 + 0.6 * sin(2 * Double.pi * (hour - 6) / 24) {
                    return Double(generator.nextIndex(below: days)) * 24 + hour
                }
            }
        }
        times.sort()
        return times
    }

    /// A Poisson(mean) count by inversion, capped at 50.
    static func poisson(mean: Double, using generator: inout SeededGenerator) -> Int {
        var count = 0, p = exp(-mean), cumulative = p
        let u = generator.nextUnitDouble()
        while u > cumulative && count < 50 { count += 1; p *= mean / Double(count); cumulative += p }
        return count
    }

    /// A conversion delay in hours from the mixture: with probability `fastShare` exponential with mean
    /// `fastMeanHours`, else the slow component with median `slowMedianHours`: log-normal with sigma
    /// `slowSigma`, or, with `slowShape` k, Weibull(k) (scale = median / ln(2)^(1 / k); inversion).
    public static func delay(fastShare: Double, fastMeanHours: Double, slowMedianHours: Double, slowSigma: Double, slowShape: Double? = nil,
                             using generator: inout SeededGenerator) -> Double {
        if generator.nextUnitDouble() < fastShare { return -fastMeanHours * log(1 - generator.nextUnitDouble()) }
        guard let shape = slowShape else { return slowMedianHours * exp(slowSigma * generator.nextGaussian()) }
        return slowMedianHours / pow(log(2.0), 1 / shape) * pow(-log(1 - generator.nextUnitDouble()), 1 / shape)
    }
}
