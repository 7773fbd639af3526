import Foundation
import VaneTensor

/// Generates clicks, engagement and delayed conversions with a known ground truth, in Vane's CSV format.
///
/// Generative story (each number a configurable field):
/// - Click times: uniform days, hour of day with a daily cycle (density 1 + 0.6 sin(2 pi (h - 6) / 24),
///   busiest mid-afternoon), over `days` days.
/// - Features: `advertiser` (Zipf(1.1) over 300), `item` (Zipf(1.1) over 20,000: most items rare),
///   `segment` (uniform over 40), `device` (4), numeric `price` and `recency` ~ N(0, 1).
/// - Conversion: logit = base + advertiser effect N(0, 0.8^2) + item effect N(0, 0.7^2) + segment
///   effect N(0, 0.4^2) + device effect N(0, 0.2^2) - 0.3 price + 0.2 recency; `base` is set so about
///   23% of clicks convert, as in Criteo's conversion logs (Chapelle, KDD 2014).
/// - Delay of a conversion: with probability 0.45 exponential with mean 0.5 h (Criteo: a large share
///   within an hour), else log-normal with median 30 h and sigma 1.3 (the long tail over two weeks);
///   conversions later than the attribution window (14 days) are dropped, so those clicks are negatives.
/// - Engagement that truly predicts conversion: a converter adds to cart with probability 0.7 at a
///   uniform time between click and conversion; a non-converter with probability 0.06 within an
///   exponential(mean 12 h) time; views ~ Poisson(1 + 3 [converts]).
public struct ConversionSimulator: Sendable {
    public struct Configuration: Sendable {
        public var clicks = 1_000_000
        public var days = 60
        public var conversionRate = 0.23
        public var attributionWindowHours = 14.0 * 24
        public var fastShare = 0.45
        public var fastMeanHours = 0.5
        public var slowMedianHours = 30.0
        public var slowSigma = 1.3
        public var cartRateConverters = 0.7
        public var cartRateOthers = 0.06
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
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) throws(ConversionError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Writes the simulated log as CSV to `path`, in click-time order. Returns (clicks, conversions).
    public func write(to path: String, seed: UInt64, progress: ((Int) -> Void)? = nil) throws -> (clicks: Int, conversions: Int) {
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
        let itemEffect = (0..<20_000).map { _ in 0.7 * generator.nextGaussian() }
        let segmentEffect = (0..<40).map { _ in 0.4 * generator.nextGaussian() }
        let deviceEffect = (0..<4).map { _ in 0.2 * generator.nextGaussian() }
        // Base logit for the target rate, set by bisection on a sample of the other effects.
        var sample: [Double] = []
        for _ in 0..<20_000 {
            sample.append(advertiserEffect[draw(advertisers)] + itemEffect[draw(items)] + segmentEffect[generator.nextIndex(below: 40)]
                          + deviceEffect[generator.nextIndex(below: 4)] - 0.3 * generator.nextGaussian() + 0.2 * generator.nextGaussian())
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
        var text = "click_id,click_time,conversion_time,cart_time,views,advertiser,item,segment,device,price,recency\n"
        var conversions = 0
        for (i, click) in clickTimes.enumerated() {
            let advertiser = draw(advertisers), item = draw(items)
            let segment = generator.nextIndex(below: 40), device = generator.nextIndex(below: 4)
            let price = generator.nextGaussian(), recency = generator.nextGaussian()
            let logit = base + advertiserEffect[advertiser] + itemEffect[item] + segmentEffect[segment] + deviceEffect[device] - 0.3 * price + 0.2 * recency
            var converts = generator.nextUnitDouble() < 1 / (1 + exp(-logit))
            var delay = Double.nan
            if converts {
                delay = Self.delay(fastShare: c.fastShare, fastMeanHours: c.fastMeanHours, slowMedianHours: c.slowMedianHours,
                                   slowSigma: c.slowSigma, using: &generator)
                if delay > c.attributionWindowHours { converts = false }
            }
            var cart = Double.nan
            if converts {
                if generator.nextUnitDouble() < c.cartRateConverters { cart = click + delay * generator.nextUnitDouble() }
            } else if generator.nextUnitDouble() < c.cartRateOthers {
                cart = click - 12 * log(1 - generator.nextUnitDouble())
            }
            // Poisson(1 + 3 converts) by inversion.
            let mean = converts ? 4.0 : 1.0
            var views = 0, p = exp(-mean), cumulative = p
            let u = generator.nextUnitDouble()
            while u > cumulative && views < 50 { views += 1; p *= mean / Double(views); cumulative += p }
            if converts { conversions += 1 }
            func time(_ value: Double) -> String { value.isNaN ? "" : String(format: "%.4f", value) }
            text += "\(i),\(time(click)),\(converts ? time(click + delay) : ""),\(time(cart)),\(views),a\(advertiser),i\(item),s\(segment),d\(device),\(String(format: "%.3f", price)),\(String(format: "%.3f", recency))\n"
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

    /// A conversion delay in hours from the fast-exponential / slow-log-normal mixture.
    public static func delay(fastShare: Double, fastMeanHours: Double, slowMedianHours: Double, slowSigma: Double,
                             using generator: inout SeededGenerator) -> Double {
        generator.nextUnitDouble() < fastShare
            ? -fastMeanHours * log(1 - generator.nextUnitDouble())
            : slowMedianHours * exp(slowSigma * generator.nextGaussian())
    }
}
