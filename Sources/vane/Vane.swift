import ArgumentParser
import VaneTensor

/// The `vane` command line: a thin layer over the Vane libraries.
@main
struct Vane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vane",
        abstract: "Recommendation toolkit: related items on directed graphs, delayed-feedback conversion models, uncertainty-aware decisions.",
        discussion: """
        Start with `vane graph stats --edges FILE` to inspect a directed item graph. \
        Every command takes --help; randomised commands take --seed, and the same seed gives the same result.
        """,
        subcommands: [DemoCommand.self, GraphCommand.self, ConversionsCommand.self, ThresholdsCommand.self, ServeCommand.self]
    )

    /// Process-wide settings first (see `AllocatorTuning`), then the usual parse-and-run.
    static func main() async {
        AllocatorTuning.retainFreedBlocks()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
