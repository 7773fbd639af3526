import ArgumentParser
import Foundation

/// A comma-separated list of seeds, `--seeds 1,2,3`.
struct SeedList: ExpressibleByArgument {
    let values: [UInt64]
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let list = parts.compactMap { $0 }
        guard Set(list).count == list.count else { return nil }
        values = list
    }
    static var defaultCompletionKind: CompletionKind { .default }
}
