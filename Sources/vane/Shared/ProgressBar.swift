import Foundation

/// A one-line progress bar on stderr for long work: `label [#####-----] 42/100 3.1s eta 4.2s`.
///
/// Quiet when stderr is not a terminal (CI logs, pipes), except for one final summary line, so
/// logs stay readable. Redraws at most 10 times a second. Not thread-safe: drive it from one task.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let interactive: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private(set) var completed = 0

    init(_ label: String, total: Int, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.interactive = interactive
    }

    /// Advances by `steps`, with an optional short status (e.g. the current loss).
    func advance(by steps: Int = 1, status: String = "") {
        completed = min(total, completed + steps)
        guard interactive else { return }
        let now = Date()
        if completed < total && now.timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line(status: status)).utf8))
    }

    /// Ends the bar with a final line (printed in non-interactive mode too).
    func finish(status: String = "") {
        completed = total
        let prefix = interactive ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data((prefix + line(status: status) + "\n").utf8))
    }

    func line(status: String) -> String {
        let width = 24
        let fraction = Double(completed) / Double(total)
        let filled = Int(fraction * Double(width))
        let elapsed = Date().timeIntervalSince(started)
        let eta = completed > 0 && completed < total ? String(format: " eta %.1fs", elapsed / fraction - elapsed) : ""
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "\(label) [\(bar)] \(completed)/\(total) \(String(format: "%.1fs", elapsed))\(eta)\(status.isEmpty ? "" : "  " + status)"
    }
}
