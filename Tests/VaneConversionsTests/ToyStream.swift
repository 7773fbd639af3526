import VaneIO
import VaneTabular
import VaneTensor
@testable import VaneConversions

/// A toy stream with known truth: 20,000 clicks over 100 h with one constant feature; each converts
/// with probability p = 0.3, 60% of conversions within 0.5 h and the rest exactly 5 h after the click
/// (window 1 h, attribution 200 h), so d = P(late positive) = 0.12 and every auxiliary is known.
struct ToyStream {
    static let clicks = 20_000
    let log: ClickLog
    let streams: ReplayStreams
    /// The exact auxiliaries: f_dp = d, f_rn = (1 - p) / (1 - p + d), g = 0.4, z = d / (1 - p + d).
    let truth: AuxiliaryProbabilities
    /// The clicks' realised conversion rate.
    let rate: Double

    init(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var lines = ["click_time,conversion_time,x"]
        for k in 0..<Self.clicks {
            let click = Double(k) * 0.005
            let converts = generator.nextUnitDouble() < 0.3, late = generator.nextUnitDouble() < 0.4
            lines.append("\(click),\(converts ? String(click + (late ? 5 : 0.5)) : ""),a")
        }
        lines.append("500,,a")  // stretches the log so every window, conversion and attribution end falls inside it
        log = try ClickLog.fromTable(CSVTableLoader().load(TextFile(path: "toy.csv", text: lines.joined(separator: "\n"))), hashBuckets: 8)
        streams = ReplayStreams(log: log, start: 0, stepHours: 1, windowHours: 1, attributionHours: 200)
        let (p, d): (Float, Float) = (0.3, 0.12)
        truth = AuxiliaryProbabilities.constant(count: log.count, steps: streams.stepCount, delayedPositive: d, realNegative: (1 - p) / (1 - p + d),
                                                delayGivenConversion: 0.4, flip: d / (1 - p + d))
        let log = log
        rate = Double((0..<Self.clicks).filter { log.converts($0, within: 200) }.count) / Double(Self.clicks)
    }
}
