import ArgumentParser
import VaneRelated

/// The validation search of the blend, shared by `vane graph train`, `vane graph evaluate` and `vane demo`.
struct TuningOptions: ParsableArguments {
    @Option(name: .customLong("tune"), parsing: .unconditional,
            help: ArgumentHelp("Blend settings tried on the validation edges (2-fold, seeded; 1 = defaults only, at most \(BlendSearch.grid.count)).",
                               discussion: "Used by walks, hybrid+walks and vane: the direction-loss weight and the L2 penalty of the blend, then (hybrid+walks, vane) the best of them without the embedding blocks, so the folds decide whether the embeddings stay in the blend; the highest validation MRR among settings within 0.005 direction AUC of the best wins. Skipped (defaults) below 1,000 validation edges, where the folds cannot tell settings apart.",
                               valueName: "budget"))
    var tune = BlendSearch.defaultBudget

    /// The search these options describe; the error names --tune.
    func search() throws -> BlendSearch {
        let search = BlendSearch(budget: tune)
        do { try search.validate() } catch { throw ValidationError("--tune must be in 1...\(BlendSearch.grid.count), got \(tune)") }
        return search
    }
}
