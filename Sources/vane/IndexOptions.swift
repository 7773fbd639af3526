import ArgumentParser
import Foundation
import VaneRelated

/// The top-targets index options shared by `vane graph train` and `vane graph index`.
struct IndexOptions: ParsableArguments {
    @Option(name: .customLong("index-count"), help: ArgumentHelp(
        "Targets precomputed per item in the model's top-targets index (top-targets.bin), which `vane serve` answers from; 0 writes no index.",
        valueName: "k"))
    var indexCount = 100

    func validate() throws {
        guard indexCount == 0 || (1...RelatedItemIndex.maximumCount).contains(indexCount) else {
            throw ValidationError("--index-count must be 0 (no index) or 1...\(RelatedItemIndex.maximumCount), got \(indexCount)")
        }
    }

    /// Builds and writes the index of the model saved in `directory`, with a progress bar; nothing when the count is 0.
    func writeIndex(forModelIn directory: String, items: Int) throws -> RelatedItemIndex? {
        guard indexCount > 0 else { return nil }
        let bar = ProgressBar("index", total: items)
        let index = try RelatedItemIndex.build(forModelIn: directory, count: indexCount) { bar.advance(by: $0 - bar.completed) }
        bar.finish(status: String(format: "top %d targets of %d items, %.1f MB", index.count, index.itemCount, Double(index.byteCount) / 1e6))
        return index
    }
}
