import ArgumentParser

/// `vane graph ...`: directed item graphs.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Directed item graphs: inspect them.",
        subcommands: [GraphStatsCommand.self]
    )
}
