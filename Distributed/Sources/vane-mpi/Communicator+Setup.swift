import ArgumentParser
import VaneMPI

extension Communicator {
    /// Runs a command's set-up (loading, splitting, partitioning) on this rank, then stops every
    /// rank together if any rank's set-up failed (`agree`), so no rank waits in a collective for one
    /// that already gave up. `body` throws a `ValidationError` naming the flag at fault; it comes out
    /// prefixed with this rank.
    func setUpOnEveryRank<T>(_ body: () throws(ValidationError) -> T) throws -> T {
        var result: Result<T, ValidationError>
        do throws(ValidationError) { result = .success(try body()) } catch { result = .failure(error) }
        var failed = false
        if case .failure = result { failed = true }
        do { try agree(failed: failed, what: "setting up") } catch { throw ValidationError("rank \(rank): \(error.message)") }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw ValidationError("rank \(rank): \(error.message)")
        }
    }
}
