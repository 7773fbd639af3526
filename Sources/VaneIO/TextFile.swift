import CZlib
import Foundation

/// The bytes of a text file, decompressed when it is gzip (detected by content, not by name).
///
/// Whole-file reading keeps parsing simple and fast for the sizes Vane handles (edge lists and event
/// logs up to a few hundred MB); zlib's `gzread` passes plain files through unchanged.
public struct TextFile: Sendable {
    /// The path as given, used in error messages.
    public let path: String
    /// Decompressed contents.
    public let bytes: [UInt8]

    /// Reads and, if needed, decompresses `path`.
    public init(path: String) throws(InputError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.fileNotFound, file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(.unreadable, file: path, "is a directory, expected a file") }
        guard let handle = gzopen(path, "rb") else {
            throw InputError(.unreadable, file: path, "cannot open for reading")
        }
        defer { gzclose(handle) }
        gzbuffer(handle, 1 << 17)
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { gzread(handle, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                var errorNumber: Int32 = 0
                let reason = gzerror(handle, &errorNumber).map { String(cString: $0) } ?? "unknown error"
                throw InputError(.unreadable, file: path, "read failed (corrupt gzip?): \(reason)")
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<Int(count)])
        }
        bytes = result
    }

    /// Wraps in-memory text (for tests and stdin); `path` names it in errors.
    public init(path: String, text: String) {
        self.path = path
        self.bytes = Array(text.utf8)
    }

    /// Calls `body` with each line's 1-based number and text, without its line terminator
    /// (`\n` or `\r\n`). Stops at the first error `body` throws.
    public func forEachLine<E: Error>(_ body: (_ lineNumber: Int, _ line: Substring) throws(E) -> Void) throws(E) {
        // Scan bytes, not Characters: Swift treats "\r\n" as one Character.
        let text = String(decoding: bytes, as: UTF8.self)
        let utf8 = text.utf8
        var lineNumber = 0
        var start = utf8.startIndex
        while start < utf8.endIndex {
            lineNumber += 1
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            var lineEnd = end
            if lineEnd > start, utf8[utf8.index(before: lineEnd)] == UInt8(ascii: "\r") {
                lineEnd = utf8.index(before: lineEnd)
            }
            let line = text[start..<lineEnd]
            try body(lineNumber, line)
            start = end < utf8.endIndex ? utf8.index(after: end) : end
        }
    }
}
