import ArgumentParser
import Foundation
import VaneConversions

extension ConversionSimulator.Scenario: ExpressibleByArgument {}

/// `vane conversions simulate`: a simulated click log in the Vane CSV format.
struct ConversionsSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated click log with timestamped engagement and delayed conversions (Vane CSV format).",
        discussion: """
        The generative story (features, conversion propensity, a fast/long-tail delay mixture, views, \
        cart adds and favourites with times that truly predict conversion, daily seasonality) and each \
        scenario are documented on ConversionSimulator:
          default          delays like RetailRocket's (median ~11 min, p90 ~11-16 h, ~1% past 14 days),
                           cart adds by 87% of buyers and 2.3% of others
          slow             most conversions days after the click (10% fast, else median 72 h)
          weak-engagement  engagement that barely predicts (cart 30% of buyers vs 15% of others)
          drift            default, but advertiser effects rotate and slow delays triple over the log
          heterogeneous    other laws, kept aside as a check on laws the methods were not tuned to:
                           Weibull(0.5) slow delays (median 24 h) that grow with price and are 5x
                           for a quarter of advertisers; a latent intent behind buying and carting
        Columns: click_id, click_time, conversion_time (empty if none), view_times, cart_times, \
        favourite_times (semicolon-separated hours), advertiser, item, segment, device, price, recency; \
        times in hours from the start.

        --format criteo writes the same clicks and conversions as Criteo's data.txt (19 tab-separated \
        fields, timestamps in seconds) without engagement: a log for methods that have no engagement \
        to read.

        Example:
          vane conversions simulate --out clicks.csv --clicks 1000000 --days 60 --seed 1
          vane conversions simulate --out slow.csv --scenario slow
          vane conversions simulate --out slow.txt --scenario slow --format criteo
        """
    )

    @Option(help: "Output CSV.")
    var out: String

    @Option(help: "Scenario: \(ConversionSimulator.Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario = ConversionSimulator.Scenario.standard

    @Option(help: "Number of clicks.")
    var clicks = 1_000_000

    @Option(help: "Days the clicks span.")
    var days = 60

    @Option(help: "Share of conversions in the fast delay component (exponential); the rest follow the long log-normal tail. Default: the scenario's.")
    var fastShare: Double?

    @Option(help: "Median delay in hours of the long-tail component. Longer delays leave more conversions unseen when a model trains. Default: the scenario's.")
    var slowMedianHours: Double?

    @Option(help: "File format: vane (CSV with engagement times) or criteo (data.txt, no engagement).")
    var format = ClickLog.Format.vane

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        try OutputLocation.file(out, option: "--out")
        var configuration = scenario.configuration(clicks: clicks, days: days)
        if let fastShare { configuration.fastShare = fastShare }
        if let slowMedianHours { configuration.slowMedianHours = slowMedianHours }
        let simulator: ConversionSimulator
        do { simulator = try ConversionSimulator(configuration: configuration) } catch {
            throw ValidationError("--clicks/--days/--fast-share/--slow-median-hours: \(error.message)")
        }
        let bar = ProgressBar("simulate", total: clicks)
        let (written, conversions) = try simulator.write(to: out, seed: seed, format: format) { bar.advance(by: $0 - bar.completed) }
        bar.finish(status: "wrote \(out)")
        print("\(written) clicks, \(conversions) conversions (\(String(format: "%.1f", 100 * Double(conversions) / Double(written)))%) over \(days) days in \(out) (scenario \(scenario.rawValue), \(format.rawValue) format)")
    }
}
