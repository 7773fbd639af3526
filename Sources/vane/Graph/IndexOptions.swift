import ArgumentParser
import Foundation
import VaneIO
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

    /// Builds the index of `model` and writes it into `directory`, with a progress bar; nothing when
    /// the count is 0. `fingerprint` is the one `save(to:)` returned (nil: the model was loaded from
    /// `directory` and carries it).
    func writeIndex(of model: RelatedItemModel, fingerprint: ContentFingerprint?, in directory: String) throws -> RelatedItemIndex? {
        guard indexCount > 0 else { return nil }
        let bar = ProgressBar("index", total: model.itemCount)
        let index = try RelatedItemIndex(model: model, count: indexCount, modelFingerprint: fingerprint) { bar.advance(by: $0 - bar.completed) }
        try index.write(toModelDirectory: directory)
        bar.finish(status: String(format: "top %d targets of %d items, %.1f MB", index.count, index.itemCount, Double(index.byteCount) / 1e6))
        return index
    }
}
