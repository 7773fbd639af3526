import Foundation

/// The bytes of a text file, decompressed when it is gzip (detected by content, not by name),
/// checked to be UTF-8, with a leading byte-order mark removed.
///
/// The whole file in memory: for inputs read more than once or kept (tests, fuzzing, stdin); the
/// loaders read paths with `TextFileStream`, which holds one piece at a time. zlib's `gzread` passes
/// plain files through unchanged. A gzip stream cut short (no trailer) or with a wrong CRC/length
/// trailer is an error, never a silent partial read.
public struct TextFile: Sendable {
    /// The path as given, used in error messages.
    public let path: String
    /// Decompressed contents: valid UTF-8, without a byte-order mark.
    public let bytes: [UInt8]

    /// Reads and, if needed, decompresses `path`. For a file read once line by line,
    /// `TextFileStream` gives the same lines and errors without holding the whole file.
    public init(path: String) throws(InputError) {
        var result: [UInt8] = []
        try GzipStream.read(path: path) { (piece) throws(InputError) in result.append(contentsOf: piece) }
        try self.init(path: path, bytes: result)
    }

    /// Wraps bytes already in memory (tests, fuzzing, stdin): checks UTF-8 and strips a BOM.
    public init(path: String, bytes: [UInt8]) throws(InputError) {
        self.path = path
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let error = Self.invalidUTF8(bytes[...], path: path, firstLine: 1, firstByte: 0) { throw error }
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
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
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

    /// The error for the first invalid UTF-8 in `bytes`, or nil; `bytes` starts at line `firstLine`
    /// and byte `firstByte` of the file (after a byte-order mark), so the error names the file's line
    /// and byte whether the file is read whole or in pieces of whole lines.
    static func invalidUTF8(_ bytes: ArraySlice<UInt8>, path: String, firstLine: Int, firstByte: Int) -> InputError? {
        guard let index = firstInvalidUTF8(bytes) else { return nil }
        let offset = bytes.startIndex + index
        let line = bytes[..<offset].reduce(firstLine) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let hex = bytes[offset..<min(bytes.endIndex, offset + 4)].map { String(format: "%02x", $0) }.joined(separator: " ")
        return InputError(.invalidText, file: path, line: line,
                          "invalid UTF-8 (bytes \(hex) at byte \(firstByte + index)); save the file as UTF-8")
    }

    /// Calls `body` with each line's 1-based number and text, without its line terminator
    /// (`\n` or `\r\n`). Stops at the first error `body` throws.
    public func forEachLine<E: Error>(_ body: (_ lineNumber: Int, _ line: Substring) throws(E) -> Void) throws(E) {
        try Self.forEachLine(in: bytes[...], firstLine: 1, body)
    }

    /// `forEachLine` over valid UTF-8 `bytes` whose first line is line `firstLine`; returns how
    /// many lines there were. A final line without a terminator is a line.
    @discardableResult
    static func forEachLine<E: Error>(in bytes: ArraySlice<UInt8>, firstLine: Int,
                                      _ body: (_ lineNumber: Int, _ line: Substring) throws(E) -> Void) throws(E) -> Int {
        // Scan bytes, not Characters: Swift treats "\r\n" as one Character.
        let text = String(decoding: bytes, as: UTF8.self)
        let utf8 = text.utf8
        var lineNumber = firstLine - 1
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
        return lineNumber - firstLine + 1
    }
}

extension TextFile: TextLineSource {}
