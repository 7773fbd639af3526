/// The lines of a text file read from disk a piece at a time, decompressed when it is gzip
/// (detected by content), checked to be UTF-8, with a leading byte-order mark removed: the lines
/// and errors of `TextFile(path:)` without holding the file.
///
/// Memory is one piece (1 MiB of decompressed bytes) plus the longest line, instead of the file's
/// bytes and their decoded copy. Each piece is cut after its last line break, so a piece never
/// splits a UTF-8 sequence or a line. A line is passed on only once it is complete, and the last
/// one (without a terminator) only after the gzip trailer has been checked: a truncated stream is
/// refused before any partial line reaches the loader, as it is when read whole. A read error in
/// the middle of a file is thrown after the lines before it were passed on, so a loader must (and
/// Vane's loaders do) build nothing from a read that throws. O(bytes).
public struct TextFileStream: TextLineSource {
    public let path: String
    /// Decompressed bytes per read (tests make it small to cut lines and sequences at every place).
    let pieceSize: Int

    /// Checks that `path` is a file (the errors `TextFile(path:)` gives); reading starts with
    /// `forEachLine`.
    public init(path: String) throws(InputError) {
        try self.init(path: path, pieceSize: 1 << 20)
    }

    init(path: String, pieceSize: Int) throws(InputError) {
        precondition(pieceSize > 0, "TextFileStream: pieceSize must be positive")
        try GzipStream.checkReadable(path)
        self.path = path
        self.pieceSize = pieceSize
    }

    public func forEachLine(_ body: (_ lineNumber: Int, _ line: Substring) throws(InputError) -> Void) throws(InputError) {
        var pending: [UInt8] = []
        var nextLine = 1, nextByte = 0, startChecked = false
        func pass(_ bytes: ArraySlice<UInt8>) throws(InputError) {
            if let error = TextFile.invalidUTF8(bytes, path: path, firstLine: nextLine, firstByte: nextByte) { throw error }
            nextLine += try TextFile.forEachLine(in: bytes, firstLine: nextLine, body)
            nextByte += bytes.count
        }
        func dropByteOrderMark() {
            if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
            startChecked = true
        }
        try GzipStream.read(path: path, pieceSize: pieceSize) { (piece) throws(InputError) in
            pending.append(contentsOf: piece)
            if !startChecked {
                guard pending.count >= 3 else { return }
                dropByteOrderMark()
            }
            guard let lastBreak = pending.lastIndex(of: UInt8(ascii: "\n")) else { return }
            try pass(pending[...lastBreak])
            pending.removeSubrange(...lastBreak)
        }
        if !startChecked { dropByteOrderMark() }
        if !pending.isEmpty { try pass(pending[...]) }
    }
}
