import ArgumentParser
import Foundation
import VaneDecisions

/// `vane thresholds simulate`: a labelled sparse-ID table for decision experiments.
struct ThresholdsSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a labelled table of clicks on sparse item IDs, where a count-aware uncertainty can help decisions.",
        discussion: """
        Item popularity is Zipf (most IDs are seen a handful of times), each item has its own log-odds, \
        two context features add a little signal (the story is on SparseIDTableSimulator). Columns:
        item, context_a, context_b, converted (0/1).

        Example:
          vane thresholds simulate --out rare-ids.csv --rows 60000 --items 20000 --seed 7
          vane thresholds evaluate --data rare-ids.csv --label converted --positive 1 --estimator laplace --seeds 1,2,3
        """
    )

    @Option(help: "Output CSV.")
    var out: String

    @Option(help: "Rows (clicks).")
    var rows = 60_000

    @Option(help: "Distinct item IDs.")
    var items = 20_000

    @Option(name: .customLong("zipf-exponent"), help: "Exponent of the Zipf item popularity (larger: more rare IDs).")
    var zipfExponent = 1.1

    @Option(help: "Seed.")
    var seed: UInt64 = 7

    func run() throws {
        var simulator = SparseIDTableSimulator()
        simulator.rows = rows
        simulator.itemCount = items
        simulator.zipfExponent = zipfExponent
        let table: (text: String, positives: Int)
        do { table = try simulator.csv(seed: seed) } catch {
            throw ValidationError(error.message, field: error.field, flags: ["rows": "--rows", "itemCount": "--items", "zipfExponent": "--zipf-exponent"])
        }
        try OutputLocation.file(out, option: "--out")
        try Data(table.text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        print("wrote \(out): \(rows) rows over \(items) item IDs, \(table.positives) positives")
    }
}
