import ArgumentParser
import Foundation
import VaneGraph
import VaneRelated
import VaneTensor

/// `vane graph train`: fit a related-items model on a whole edge list and save it.
struct GraphTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a related-items model on a directed edge list and save it to a directory.",
        discussion: """
        5% of the edges are held out (seeded) to early-stop on validation MRR; the final embeddings are \
        then computed over all edges. The directory gets embeddings.safetensors (source/target \
        embeddings, known edges), model.json (item names, settings, training report) and \
        top-targets.bin (the best --index-count targets of every item, which `vane serve` answers \
        from; see `vane graph index`).

        Example:
          vane graph train --edges ../shared/data/debian-packages.edges.tsv.gz --out models/debian
          vane graph recommend --model models/debian --item python3 -k 10
        """
    )

    @OptionGroup var input: EdgeInputOptions
    var edges: String { input.edges }

    @Option(help: "Output directory for the model (created if missing).")
    var out: String

    @Option(help: "Method: \(RelatedMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method = RelatedMethod.vane.rawValue

    @Option(help: "Seed of the validation hold-out, initialisation and sampling.")
    var seed: UInt64 = 1

    @OptionGroup var model: GNNOptions

    @OptionGroup var tuning: TuningOptions

    @OptionGroup var index: IndexOptions

    func run() throws {
        let started = Date()
        let chosen: [RelatedMethod]
        do { chosen = try RelatedMethod.parseList(method) } catch { throw ValidationError("--method: \(error.message)") }
        guard chosen.count == 1, let method = chosen.first else { throw ValidationError("--method takes one method") }
        let base = try model.configuration()
        let search = try tuning.search()
        try OutputLocation.directory(out, option: "--out")
        let (graph, report) = try input.load()
        FileHandle.standardError.write(Data("loaded \(graph.nodeCount) items, \(graph.edgeCount) edges (\(report.duplicatesDropped) duplicates, \(report.selfLoopsDropped) self-loops dropped)\n".utf8))
        let bar = ProgressBar("train", total: base.epochCap(trainingEdges: graph.edgeCount * 95 / 100))
        let result = try RelatedTraining.fitForServing(method, base: base, graph: graph, seed: seed, search: search) { event in
            if case .epoch(_, let loss, let mrr, _) = event { bar.advance(status: String(format: "loss %.4f  val MRR %.4f", loss, mrr)) }
        }
        bar.finish(status: result.details["validation_mrr"].map { "val MRR \($0)" } ?? "done")
        let fitted = result.model
        var details = result.details
        details["edges_file"] = edges
        let fingerprint = try fitted.save(to: out, details: details)
        _ = try index.writeIndex(of: fitted, fingerprint: fingerprint, in: out)
        print("saved \(method.rawValue) model of \(fitted.itemCount) items (dimension \(fitted.dimension)) to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
