import CZlib
import Foundation

/// The bytes of a text file, decompressed when it is gzip (detected by content, not by name),
/// checked to be UTF-8, with a leading byte-order mark removed.
///
/// Whole-file reading keeps parsing simple and fast for the sizes Vane handles (edge lists and event
/// logs up to a few hundred MB); zlib's `gzread` passes plain files through unchanged. A gzip stream
/// cut short (no trailer) or with a wrong CRC/length trailer is an error, never a silent partial read.
public struct TextFile: Sendable {
    /// The path as given, used in error messages.
    public let path: String
    /// Decompressed contents: valid UTF-8, without a byte-order mark.
    public let bytes: [UInt8]

    /// Reads and, if needed, decompresses `path`.
    public init(path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.fileNotFound, file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(.unreadable, file: path, "is a directory, expected a file") }
        guard let handle = gzopen(path, "rb") else {
            throw InputError(.unreadable, file: path, "cannot open for reading")
        }
        gzbuffer(handle, 1 << 17)
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        func failure(_ what: String) -> InputError {
            var errorNumber: Int32 = 0
            let reason = gzerror(handle, &errorNumber).map { String(cString: $0) } ?? "unknown error"
            return InputError(.unreadable, file: path, "\(what): \(reason)")
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { gzread(handle, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                let error = failure("read failed after \(result.count) bytes (corrupt gzip?)")
                gzclose(handle)
                throw error
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<Int(count)])
        }
        // zlib reports a stream that ends before its trailer as Z_BUF_ERROR at end of input (and
        // gzread has already returned what it could decode): a truncated download, refused.
        var errorNumber: Int32 = 0
        _ = gzerror(handle, &errorNumber)
        let closed = gzclose(handle)
        if errorNumber == Z_BUF_ERROR || closed == Z_BUF_ERROR {
            throw InputError(.unreadable, file: path,
                             "gzip stream is truncated (ends after \(result.count) decompressed bytes, before its trailer); the file is incomplete")
        }
        try self.init(path: path, bytes: result)
    }

    /// Wraps bytes already in memory (tests, fuzzing, stdin): checks UTF-8 and strips a BOM.
    public init(path: String, bytes: [UInt8]) throws(InputError) {
        self.path = path
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let offset = Self.firstInvalidUTF8(bytes) {
            let line = bytes[..<offset].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            let hex = bytes[offset..<min(bytes.count, offset + 4)].map { String(format: "%02x", $0) }.joined(separator: " ")
            throw InputError(.invalidText, file: path, line: line,
                             "invalid UTF-8 (bytes \(hex) at byte \(offset)); save the file as UTF-8")
        }
        self.bytes = bytes
    }

    /// Wraps in-memory text (for tests and stdin); `path` names it in errors. A leading BOM is dropped.
    public init(path: String, text: String) {
        self.path = path
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    /// Offset of the first byte that does not start or continue a well-formed UTF-8 sequence
    /// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), or nil. O(n), ASCII fast path.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            let n = buffer.count
            var i = 0
            while i < n {
                // Eight ASCII bytes at a time.
                while i + 8 <= n {
                    let word = UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < n else { return nil }
                let lead = buffer[i]
                if lead < 0x80 { i += 1; continue }
                let length: Int, lowest: UInt8, highest: UInt8
                switch lead {
                case 0xC2...0xDF: (length, lowest, highest) = (2, 0x80, 0xBF)
                case 0xE0: (length, lowest, highest) = (3, 0xA0, 0xBF)
                case 0xE1...0xEC, 0xEE...0xEF: (length, lowest, highest) = (3, 0x80, 0xBF)
                case 0xED: (length, lowest, highest) = (3, 0x80, 0x9F)
                case 0xF0: (length, lowest, highest) = (4, 0x90, 0xBF)
                case 0xF1...0xF3: (length, lowest, highest) = (4, 0x80, 0xBF)
                case 0xF4: (length, lowest, highest) = (4, 0x80, 0x8F)
                default: return i
                }
                guard i + length <= n, (lowest...highest).contains(buffer[i + 1]) else { return i }
                for k in 2..<max(2, length) where !(0x80...0xBF).contains(buffer[i + k]) { return i }
                i += length
            }
            return nil
        }
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
