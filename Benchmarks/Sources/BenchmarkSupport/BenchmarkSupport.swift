import Foundation

/// The value after `--name` on the command line, if any.
public func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// This process's peak resident set in MB: `VmHWM` of /proc/self/status. Not getrusage's ru_maxrss,
/// which Linux carries over from the parent through fork and execve, so a child of a large driver
/// process would report the driver's peak.
public func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return .nan }
    return kilobytes / 1024
}
