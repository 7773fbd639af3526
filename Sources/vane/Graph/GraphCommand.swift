import ArgumentParser

/// `vane graph ...`: directed item graphs.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Directed item graphs: inspect them, train and evaluate related-item models, recommend.",
        subcommands: [GraphStatsCommand.self, GraphSimulateCommand.self, GraphTrainCommand.self, GraphEvaluateCommand.self, GraphRecommendCommand.self, GraphIndexCommand.self]
    )
}
