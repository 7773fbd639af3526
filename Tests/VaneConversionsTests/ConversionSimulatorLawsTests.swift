import Foundation
import Testing
import VaneTensor
@testable import VaneConversions

@Suite("Simulator: heterogeneous laws")
struct ConversionSimulatorLawsTests {
    /// Rows of a simulated Vane CSV: (click time, conversion time or nil, cart count, advertiser, price).
    func rows(_ configuration: ConversionSimulator.Configuration, seed: UInt64 = 7)
        throws -> [(click: Double, conversion: Double?, carts: Int, advertiser: String, price: Double)] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-laws-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ConversionSimulator(configuration: configuration).write(to: path, seed: seed)
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return (Double(f[1])!, Double(f[2]), f[4].isEmpty ? 0 : f[4].split(separator: ";").count, String(f[6]), Double(f[10])!)
        }
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    @Test func theOtherScenariosDrawExactlyWhatTheyDrewBefore() throws {
        // Lines of `vane conversions simulate --clicks 1000 --days 5 --seed 4` written before the
        // heterogeneous laws existed: the new knobs draw nothing when they are off.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vane-golden-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ConversionSimulator(configuration: ConversionSimulator.Scenario.standard.configuration(clicks: 1000, days: 5)).write(to: path, seed: 4)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines[1] == "0,0.3839,,8.5988;22.7858,,,a15,i8230,s3,d0,0.276,0.428")
        #expect(lines[3] == "2,0.9475,,5.2667,,,a42,i0,s36,d3,0.461,-0.050")
        #expect(lines[1000] == "999,119.1178,,,,,a4,i0,s4,d3,-0.704,0.116")
    }

    @Test func theWeibullComponentHasTheMedianAsked() {
        var generator = SeededGenerator(seed: 11)
        for shape in [0.5, 1, 2.5] {
            let delays = (0..<20_000).map { _ in
                ConversionSimulator.delay(fastShare: 0, fastMeanHours: 1, slowMedianHours: 30, slowSigma: 1, slowShape: shape, using: &generator)
            }
            #expect(abs(median(delays) / 30 - 1) < 0.05, "shape \(shape): median \(median(delays))")
            // Shape < 1: more mass both near zero and far out than the exponential (shape 1).
            if shape == 0.5 { #expect(delays.filter { $0 > 300 }.count > delays.filter { $0 < 0.3 }.count / 4) }
        }
    }

    @Test func dearItemsAndSlowAdvertisersConvertLater() throws {
        var base = ConversionSimulator.Configuration()
        base.clicks = 30_000
        base.days = 20
        base.fastShare = 0
        base.slowMedianHours = 10
        base.delayShape = 1
        var dear = base
        dear.priceDelayElasticity = 0.7
        let priced = try rows(dear).compactMap { row in row.conversion.map { (delay: $0 - row.click, price: row.price) } }
        let high = median(priced.filter { $0.price > 0.5 }.map(\.delay)), low = median(priced.filter { $0.price < -0.5 }.map(\.delay))
        #expect(high / low > 2, "median delay of dear items \(high) h against cheap \(low) h")
        var slow = base
        slow.slowAdvertiserShare = 1
        slow.slowAdvertiserFactor = 5
        let delays = { (c: ConversionSimulator.Configuration) in try self.rows(c).compactMap { row in row.conversion.map { $0 - row.click } } }
        let ratio = median(try delays(slow)) / median(try delays(base))
        #expect(ratio > 4 && ratio < 6, "every advertiser slow: median delay x \(ratio)")
    }

    @Test func intentKeepsTheOthersCartRateButCorrelatesItWithBuying() throws {
        var plain = ConversionSimulator.Configuration()
        plain.clicks = 40_000
        plain.days = 20
        plain.cartRateOthers = 0.05
        var intent = plain
        intent.intentStrength = 1.5
        func otherCartRate(_ c: ConversionSimulator.Configuration) throws -> Double {
            let others = try rows(c).filter { $0.conversion == nil }
            return Double(others.filter { $0.carts > 0 }.count) / Double(others.count)
        }
        // Mean preserved: exp(s I - s^2 / 2) has mean 1 (non-converters lean to low intent, so a little under).
        let withIntent = try otherCartRate(intent), without = try otherCartRate(plain)
        #expect(abs(without - 0.05) < 0.005)
        #expect(withIntent > 0.02 && withIntent < 0.05, "\(withIntent)")
    }

    @Test func simulatorRejectsBadHeterogeneousParameters() {
        for change in [{ (c: inout ConversionSimulator.Configuration) in c.delayShape = 0 },
                       { (c: inout ConversionSimulator.Configuration) in c.delayShape = .nan },
                       { (c: inout ConversionSimulator.Configuration) in c.priceDelayElasticity = 5 },
                       { (c: inout ConversionSimulator.Configuration) in c.slowAdvertiserShare = 2 },
                       { (c: inout ConversionSimulator.Configuration) in c.slowAdvertiserFactor = 0.5 },
                       { (c: inout ConversionSimulator.Configuration) in c.intentStrength = -1 }] {
            var configuration = ConversionSimulator.Configuration()
            change(&configuration)
            #expect { try configuration.validate() } throws: { ($0 as? ConversionError)?.code == .invalidConfiguration }
        }
        #expect(throws: Never.self) { try ConversionSimulator.Scenario.heterogeneous.configuration().validate() }
    }
}
