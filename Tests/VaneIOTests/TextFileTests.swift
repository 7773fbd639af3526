import Foundation
import Testing
import VaneIO

@Suite("Text input")
struct TextFileTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vane-io-\(UUID().uuidString)-\(name)").path
    }

    @Test func linesWithCRLFAndNoTrailingNewline() {
        let file = TextFile(path: "mem", text: "a\tb\r\nc\n\nd")
        var lines: [(Int, String)] = []
        file.forEachLine { number, line in lines.append((number, String(line))) }
        #expect(lines.map(\.0) == [1, 2, 3, 4])
        #expect(lines.map(\.1) == ["a\tb", "c", "", "d"])
    }

    @Test func readsGzipTransparently() throws {
        let plain = temporaryPath("plain.tsv")
        try "x\ty\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-k", plain]
        try process.run()
        process.waitUntilExit()
        let gz = try TextFile(path: plain + ".gz")
        #expect(String(decoding: gz.bytes, as: UTF8.self) == "x\ty\n")
        #expect(try TextFile(path: plain).bytes == gz.bytes)
    }

    @Test func missingFileNamesThePath() {
        #expect {
            _ = try TextFile(path: "/nonexistent/edges.tsv")
        } throws: { error in
            (error as? InputError)?.code == .fileNotFound && "\(error)".contains("/nonexistent/edges.tsv")
        }
    }

    @Test func delimiters() {
        #expect(FieldDelimiter.infer(path: "a.tsv.gz", sampleLine: "x,y") == .tab)
        #expect(FieldDelimiter.infer(path: "a.CSV", sampleLine: nil) == .comma)
        #expect(FieldDelimiter.infer(path: "edges.txt", sampleLine: "a b") == .whitespace)
        #expect(FieldDelimiter.comma.split("a,\"b,c\",\"say \"\"hi\"\"\",") == ["a", "b,c", "say \"hi\"", ""])
        #expect(FieldDelimiter.whitespace.split("  a \t b ") == ["a", "b"])
        #expect(FieldDelimiter.tab.split("a\t\tb") == ["a", "", "b"])
    }

    @Test func errorDescriptionHasFileAndLine() {
        let error = InputError(.malformedLine, file: "g.tsv", line: 7, "expected 2 fields, found 1")
        #expect(error.description == "g.tsv:7: expected 2 fields, found 1")
    }
}
