import CZlib
import Foundation

/// The decompressed bytes of a file, read through zlib in pieces: gzip is detected by content, and
/// zlib's `gzread` passes a plain file through unchanged. Shared by `TextFile` (which keeps every
/// piece) and `TextFileStream` (which keeps one piece and a partial line).
enum GzipStream {
    /// The errors `TextFile(path:)` has always given for a path that is not a readable file.
    static func checkReadable(_ path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.fileNotFound, file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(.unreadable, file: path, "is a directory, expected a file") }
    }

    /// Calls `body` with each piece of `path`'s decompressed bytes, in order (at most `pieceSize`
    /// each). A read error, a corrupt stream and a gzip stream cut
    /// short (no trailer) or with a wrong CRC/length trailer are errors, thrown after `body` has seen
    /// the pieces decoded before it: a caller that must not act on a partial file holds back what it
    /// has not finished (`TextFileStream` holds the last partial line). O(bytes), O(pieceSize) memory.
    static func read(path: String, pieceSize: Int = 1 << 20,
                     _ body: (UnsafeBufferPointer<UInt8>) throws(InputError) -> Void) throws(InputError) {
        try checkReadable(path)
        guard let handle = gzopen(path, "rb") else {
            throw InputError(.unreadable, file: path, "cannot open for reading")
        }
        gzbuffer(handle, 1 << 17)
        var total = 0
        var piece = [UInt8](repeating: 0, count: pieceSize)
        func failure(_ what: String) -> InputError {
            var errorNumber: Int32 = 0
            let reason = gzerror(handle, &errorNumber).map { String(cString: $0) } ?? "unknown error"
            return InputError(.unreadable, file: path, "\(what): \(reason)")
        }
        while true {
            let count = piece.withUnsafeMutableBytes { gzread(handle, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                let error = failure("read failed after \(total) bytes (corrupt gzip?)")
                gzclose(handle)
                throw error
            }
            if count == 0 { break }
            total += Int(count)
            do {
                try piece.withUnsafeBufferPointer { (buffer) throws(InputError) in
                    try body(UnsafeBufferPointer(rebasing: buffer[0..<Int(count)]))
                }
            } catch {
                gzclose(handle)
                throw error
            }
        }
        // zlib reports a stream that ends before its trailer as Z_BUF_ERROR at end of input (and
        // gzread has already returned what it could decode): a truncated download, refused.
        var errorNumber: Int32 = 0
        _ = gzerror(handle, &errorNumber)
        let closed = gzclose(handle)
        if errorNumber == Z_BUF_ERROR || closed == Z_BUF_ERROR {
            throw InputError(.unreadable, file: path,
                             "gzip stream is truncated (ends after \(total) decompressed bytes, before its trailer); the file is incomplete")
        }
    }
}
