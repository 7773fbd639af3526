import ArgumentParser
import Foundation
import VaneRelated

/// `vane graph recommend`: related items for one item from a saved model.
struct GraphRecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Print the top related items for an item, from a model saved by `vane graph train`.",
        discussion: """
        Items the model already knows as targets of ITEM are left out unless --include-known is given.

        Example:
          vane graph recommend --model models/debian --item python3 -k 10 --json
        """
    )

    @Option(help: "Model directory written by `vane graph train`.")
    var model: String

    @Option(help: "Item name, as in the edge list.")
    var item: String

    @Option(name: .shortAndLong, help: "How many items to return (1...1000).")
    var k = 10

    @Option(help: "Comma-separated item names to leave out.")
    var exclude = ""

    @Flag(name: .customLong("include-known"), help: "Also return items the graph already links from ITEM.")
    var includeKnown = false

    @Flag(help: "Print JSON: {\"item\": ..., \"results\": [{\"item\": ..., \"score\": x}]}.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("-k must be in 1...1000, got \(k)") }
    }

    func run() throws {
        let loaded = try RelatedItemModel.load(from: model)
        let excluded = exclude.split(separator: ",").map { String($0) }
        let results = try loaded.recommend(for: item, count: k, excludingKnown: !includeKnown, excluding: excluded)
        if json {
            struct Entry: Encodable { let item: String; let score: Float }
            struct Output: Encodable { let item: String; let results: [Entry] }
            try printJSON(Output(item: item, results: results.map { Entry(item: $0.item, score: $0.score) }))
            return
        }
        for (rank, result) in results.enumerated() {
            print(String(format: "%3d  %8.4f  ", rank + 1, result.score) + result.item)
        }
    }
}
