import Foundation
import Testing

/// Every input under `Fuzz/crashers/<target>/` (inputs that once crashed Vane: found by `make fuzz`
/// or written by hand from a bug report) runs through its fuzz target again. A regression crashes
/// this test process, so it cannot pass by accident. `FuzzTarget.swift` is the fuzz package's own
/// file (a symbolic link), so the replay and the fuzzer feed inputs the same way.
@Suite("Fuzz crashers")
struct CrasherReplayTests {
    static let crashers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/crashers")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        let folder = crashers.appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        for input in Self.inputs(target) {
            target.run(Array(try Data(contentsOf: input)))
        }
    }

    @Test func seedsAreAcceptedInputs() throws {
        // The seeds are valid files: a target that refuses its own seed would fuzz nothing but errors.
        for target in FuzzTarget.allCases { #expect(!target.seeds.isEmpty && target.seeds.allSatisfy { !$0.isEmpty }, "\(target)") }
    }

    @Test func everyTargetHasRegressionInputs() {
        for target in FuzzTarget.allCases { #expect(!Self.inputs(target).isEmpty, "no crashers kept for \(target.rawValue)") }
    }
}
