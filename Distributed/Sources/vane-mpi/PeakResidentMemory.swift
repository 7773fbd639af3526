import Foundation

/// This rank's peak resident set in MB: `VmHWM` of /proc/self/status (not getrusage's ru_maxrss,
/// which Linux carries over through fork and execve from mpirun's launcher). NaN where /proc is absent.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kilobytes / 1024
}
