import ArgumentParser
import Foundation
import VaneRelated

/// `vane graph index`: (re)build the top-targets index of a saved model.
struct GraphIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Precompute the top targets of every item of a saved model, for `vane serve` to answer from.",
        discussion: """
        Writes top-targets.bin into the model directory: the best --index-count targets of every item \
        (known out-neighbours and the item itself left out), computed in batches of one matrix product \
        each on all cores, with their exact scores. `vane serve` maps it into memory and answers \
        /v1/related from it whenever the stored list holds the exact answer (k and exclude permitting), \
        and scans otherwise. `vane graph train` writes it already; run this after changing the count or \
        for a model trained without one. The index records the model files' fingerprint: if the model \
        changes, the server refuses the old index instead of serving from it.

        Example:
          vane graph index --model models/debian --index-count 200
        """
    )

    @Option(help: "Model directory written by `vane graph train`.")
    var model: String

    @OptionGroup var index: IndexOptions

    func validate() throws {
        guard index.indexCount >= 1 else { throw ValidationError("--index-count must be at least 1 here (0 would write no index)") }
    }

    func run() throws {
        let started = Date()
        let loaded: RelatedItemModel
        do { loaded = try RelatedItemModel.load(from: model) } catch { throw ValidationError("--model: \(error.message)") }
        guard let built = try index.writeIndex(of: loaded, fingerprint: nil, in: model) else { return }
        print("wrote \(model)/\(RelatedItemIndex.fileName): top \(built.count) targets of \(built.itemCount) items "
              + String(format: "(%.1f MB) in %.1f s", Double(built.byteCount) / 1e6, Date().timeIntervalSince(started)))
    }
}
