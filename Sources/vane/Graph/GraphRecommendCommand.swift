import ArgumentParser
import Foundation
import VaneGraph
import VaneRelated

/// `vane graph recommend`: related items for one item from a saved model.
struct GraphRecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Print the top related items for an item, from a model saved by `vane graph train`.",
        discussion: """
        Items the model already knows as targets of ITEM are left out unless --include-known is given. \
        With --all instead of --item, the top-k of every item is written as TSV (source, rank, target, \
        score) to --out, computed in batches with one matrix product each on all cores.

        Examples:
          vane graph recommend --model models/debian --item python3 -k 10 --json
          vane graph recommend --model models/debian --all -k 20 --out debian-top20.tsv
          vane graph recommend --model models/amazon --item m34 --nodes ../shared/data/amazon-meta-similar-50k.nodes.tsv.gz
        """
    )

    @Option(help: "Model directory written by `vane graph train`.")
    var model: String

    @Option(help: "Item name, as in the edge list.")
    var item: String?

    @Flag(help: "Recommend for every item (batch export to --out).")
    var all = false

    @Option(help: "Output TSV for --all.")
    var out: String?

    @Option(name: .shortAndLong, help: "How many items to return (1...1000).")
    var k = 10

    @Option(help: "Comma-separated item names to leave out.")
    var exclude = ""

    @Flag(name: .customLong("include-known"), help: "Also return items the graph already links from ITEM.")
    var includeKnown = false

    @Option(help: "Node attribute file (id first, then attributes such as a title; a first # line names the columns) to show titles.")
    var nodes: String?

    @Flag(help: "Print JSON: {\"item\": ..., \"results\": [{\"item\": ..., \"score\": x}]}.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("-k must be in 1...1000, got \(k)") }
        guard all != (item != nil) else { throw ValidationError("give either --item NAME or --all") }
        guard !all || out != nil else { throw ValidationError("--all needs --out FILE") }
    }

    func run() throws {
        let loaded = try RelatedItemModel.load(from: model)
        if all, let out {
            try OutputLocation.file(out, option: "--out")
            try exportAll(loaded, to: out)
            return
        }
        guard let item else { return }
        let excluded = exclude.split(separator: ",").map { String($0) }
        let attributes = try nodes.map { try NodeAttributeTable(path: $0) }
        let results = try loaded.recommend(for: item, count: k, excludingKnown: !includeKnown, excluding: excluded)
        if json {
            struct Entry: Encodable { let item: String; let score: Float; let title: String? }
            struct Output: Encodable { let item: String; let title: String?; let results: [Entry] }
            try printJSON(Output(item: item, title: attributes?.label(of: item),
                                 results: results.map { Entry(item: $0.item, score: $0.score, title: attributes?.label(of: $0.item)) }))
            return
        }
        if let title = attributes?.label(of: item) { print("\(item)  \(title)") }
        for (rank, result) in results.enumerated() {
            let title = attributes?.label(of: result.item).map { "  \($0)" } ?? ""
            print(String(format: "%3d  %8.4f  ", rank + 1, result.score) + result.item + title)
        }
    }

    /// Writes every item's top-k as TSV, streaming batches to disk so memory stays O(batch x items).
    func exportAll(_ loaded: RelatedItemModel, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data("# source\trank\ttarget\tscore\n".utf8)),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("\(path): cannot create")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        let bar = ProgressBar("export", total: loaded.itemCount)
        let names = loaded.graph.nodeNames
        let results = loaded.recommendAll(count: k, excludingKnown: !includeKnown)
        var text = ""
        for (source, row) in results.enumerated() {
            for (rank, entry) in row.enumerated() {
                text += "\(names[source])\t\(rank + 1)\t\(names[Int(entry.index)])\t\(entry.score)\n"
            }
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text = ""
            }
            bar.advance()
        }
        handle.write(Data(text.utf8))
        bar.finish(status: "wrote \(path)")
    }
}
