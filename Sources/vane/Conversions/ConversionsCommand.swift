import ArgumentParser
import Foundation
import VaneConversions

/// `vane conversions ...`: conversion models under delayed feedback.
struct ConversionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversions",
        abstract: "Conversion models trained under delayed feedback: simulate logs, replay them through time, train one to serve.",
        subcommands: [ConversionsSimulateCommand.self, ConversionsEvaluateCommand.self, ConversionsTrainCommand.self]
    )
}
