import Foundation
import Testing
@testable import VaneIO

@Suite("Streamed text input")
struct TextFileStreamTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vane-stream-\(UUID().uuidString)-\(name)").path
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = temporaryPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func gzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-k", "-f", path]
        try process.run()
        process.waitUntilExit()
        return path + ".gz"
    }

    func lines(_ source: some TextLineSource) throws -> [String] {
        var lines: [String] = []
        try source.forEachLine { number, line in
            #expect(number == lines.count + 1)
            lines.append(String(line))
        }
        return lines
    }

    /// A byte-order mark, CRLF, empty lines, two- to four-byte characters and no final line break:
    /// every piece size from 1 byte cuts the mark, a CRLF and each multi-byte character somewhere.
    @Test func givesTextFilesLinesAtEveryPieceSize() throws {
        let text: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("größe\tü€\r\n\n𝄞 one\r\ntwo\n\nlast ž".utf8)
        let path = try write(text, "mixed.tsv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try lines(TextFile(path: path))
        #expect(whole == ["größe\tü€", "", "𝄞 one", "two", "", "last ž"])
        for pieceSize in [1, 2, 3, 4, 5, 7, 64, 1 << 20] {
            #expect(try lines(TextFileStream(path: path, pieceSize: pieceSize)) == whole, "piece size \(pieceSize)")
        }
    }

    @Test func shortFilesAndTrailingBreaks() throws {
        for text in ["", "\n", "a", "a\n", "\u{FEFF}", "\u{FEFF}x", "ab\r\n"] {
            let path = try write(Array(text.utf8), "short.tsv")
            defer { try? FileManager.default.removeItem(atPath: path) }
            for pieceSize in [1, 2, 4] {
                #expect(try lines(TextFileStream(path: path, pieceSize: pieceSize)) == lines(TextFile(path: path)), "\(text.debugDescription)")
            }
        }
    }

    /// The error names the file's line and byte, not the piece's.
    @Test func invalidUTF8IsNamedAsWhenReadWhole() throws {
        let bytes = Array("a\tb\nc\td\n".utf8) + [0xE2, 0x82] + Array("x\ne\n".utf8)
        let path = try write(bytes, "bad.tsv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var whole: InputError?
        do { _ = try TextFile(path: path) } catch { whole = error }
        #expect(whole?.code == .invalidText)
        #expect(whole?.description.contains("\(path):3:") == true)
        for pieceSize in [1, 3, 5, 9, 100] {
            var seen: [String] = []
            #expect {
                try TextFileStream(path: path, pieceSize: pieceSize).forEachLine { _, line in seen.append(String(line)) }
            } throws: { error in
                (error as? InputError)?.description == whole?.description
            }
            #expect(["a\tb", "c\td"].starts(with: seen), "piece size \(pieceSize): \(seen)")
        }
    }

    /// Gzip is read by content; a stream cut short is refused before its last, partial line is passed on.
    @Test func gzipIsStreamedAndATruncatedStreamPassesNoPartialLine() throws {
        let plain = temporaryPath("big.tsv")
        let text = (0..<30_000).map { "node\($0)\tnode\($0 * 7 % 30_000)" }.joined(separator: "\n")
        try text.write(toFile: plain, atomically: true, encoding: .utf8)
        let compressed = try gzip(plain)
        defer { try? FileManager.default.removeItem(atPath: plain); try? FileManager.default.removeItem(atPath: compressed) }
        let expected = text.split(separator: "\n").map(String.init)
        #expect(try lines(TextFileStream(path: compressed, pieceSize: 4096)) == expected)
        let whole = try Data(contentsOf: URL(fileURLWithPath: compressed))
        for keep in [whole.count / 2, whole.count - 8, whole.count - 1] {
            let cut = try write(Array(whole.prefix(keep)), "cut.tsv.gz")
            defer { try? FileManager.default.removeItem(atPath: cut) }
            var seen: [String] = []
            #expect {
                try TextFileStream(path: cut, pieceSize: 4096).forEachLine { _, line in seen.append(String(line)) }
            } throws: { error in
                (error as? InputError)?.code == .unreadable && "\(error)".contains("truncated")
            }
            #expect(expected.starts(with: seen) && seen.count < expected.count, "kept \(keep) bytes: \(seen.count) lines")
        }
    }

    @Test func pathErrorsComeAtOpening() throws {
        #expect { _ = try TextFileStream(path: "/nonexistent/clicks.csv") } throws: { error in
            (error as? InputError)?.code == .fileNotFound && "\(error)".contains("/nonexistent/clicks.csv")
        }
        #expect { _ = try TextFileStream(path: FileManager.default.temporaryDirectory.path) } throws: { error in
            (error as? InputError)?.code == .unreadable && "\(error)".contains("directory")
        }
    }

    /// A loader stops at its body's first error; the stream stops reading there.
    @Test func theBodysErrorStopsTheRead() throws {
        let path = try write(Array((0..<10_000).map { "line \($0)" }.joined(separator: "\n").utf8), "many.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var count = 0
        #expect(throws: InputError.self) {
            try TextFileStream(path: path, pieceSize: 256).forEachLine { number, _ throws(InputError) in
                count += 1
                if number == 42 { throw InputError(.malformedLine, file: path, line: number, "stop") }
            }
        }
        #expect(count == 42)
    }

    /// Every kept fuzz crasher of a text loader (inputs that once broke a loader: odd bytes, cut
    /// sequences, stray BOMs) gives the same lines, or the same error, streamed in pieces as read whole.
    @Test func crashersReadTheSameStreamedAsWhole() throws {
        let crashers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/crashers")
        var inputs = 0
        for target in ["edges", "csv", "clicklog", "criteo"] {
            let folder = crashers.appendingPathComponent(target)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where !name.hasPrefix(".") {
                let path = folder.appendingPathComponent(name).path
                inputs += 1
                func read(_ source: () throws(InputError) -> any TextLineSource) -> Result<[String], InputError> {
                    do { return .success(try lines(try source())) } catch let error as InputError { return .failure(error) } catch { Issue.record(error); return .success([]) }
                }
                let whole = read { () throws(InputError) in try TextFile(path: path) }
                for pieceSize in [1, 7, 4096] {
                    let streamed = read { () throws(InputError) in try TextFileStream(path: path, pieceSize: pieceSize) }
                    switch (whole, streamed) {
                    case (.success(let a), .success(let b)): #expect(a == b, "\(target)/\(name), piece size \(pieceSize)")
                    case (.failure(let a), .failure(let b)): #expect(a.description == b.description, "\(target)/\(name), piece size \(pieceSize)")
                    default: Issue.record("\(target)/\(name), piece size \(pieceSize): whole \(whole), streamed \(streamed)")
                    }
                }
            }
        }
        #expect(inputs > 0)
    }
}
