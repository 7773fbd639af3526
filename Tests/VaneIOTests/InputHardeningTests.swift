import Foundation
import Testing
import VaneIO

/// The shared input rules: BOM, invalid UTF-8, truncated gzip, non-finite numbers, timestamps.
@Suite("Input hardening")
struct InputHardeningTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vane-hardening-\(UUID().uuidString)-\(name)").path
    }

    func gzip(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-kf", path]
        try process.run()
        process.waitUntilExit()
    }

    @Test func byteOrderMarkIsStripped() throws {
        let file = try TextFile(path: "bom.tsv", bytes: [0xEF, 0xBB, 0xBF] + Array("# comment\na\tb\n".utf8))
        var lines: [String] = []
        file.forEachLine { _, line in lines.append(String(line)) }
        #expect(lines == ["# comment", "a\tb"])
        #expect(TextFile(path: "t", text: "\u{FEFF}x").bytes == Array("x".utf8))
    }

    @Test func invalidUTF8IsRefusedWithItsLine() {
        #expect {
            _ = try TextFile(path: "bad.tsv", bytes: Array("a\tb\nc\t".utf8) + [0xFF] + Array("\n".utf8))
        } throws: { error in
            let error = error as? InputError
            return error?.code == .invalidText && error?.line == 2 && error?.file == "bad.tsv"
        }
        // Overlong encodings and surrogates are not UTF-8 either.
        for bytes: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(throws: InputError.self) { _ = try TextFile(path: "x", bytes: bytes) }
        }
        #expect(throws: Never.self) { _ = try TextFile(path: "x", bytes: Array("ü€𝄞 ok".utf8)) }
    }

    @Test func truncatedGzipIsRefused() throws {
        let plain = temporaryPath("big.tsv")
        defer { try? FileManager.default.removeItem(atPath: plain); try? FileManager.default.removeItem(atPath: plain + ".gz") }
        try (0..<20_000).map { "node\($0)\tnode\($0 * 7 % 20_000)" }.joined(separator: "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        try gzip(plain)
        let whole = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        #expect(try TextFile(path: plain + ".gz").bytes == TextFile(path: plain).bytes)
        // Cut in the middle of the deflate stream, and cut only the 8-byte trailer.
        for keep in [whole.count / 2, whole.count - 8, whole.count - 1] {
            let cut = temporaryPath("cut.tsv.gz")
            defer { try? FileManager.default.removeItem(atPath: cut) }
            try whole.prefix(keep).write(to: URL(fileURLWithPath: cut))
            #expect {
                _ = try TextFile(path: cut)
            } throws: { error in
                (error as? InputError)?.code == .unreadable && "\(error)".contains("truncated")
            }
        }
    }

    @Test func everyNonFiniteSpellingIsNonFinite() {
        for text in ["inf", "+inf", "-inf", "infinity", "+infinity", "-Infinity", "nan", "-nan", "NaN", "1e309", "-1e400"] {
            #expect(InputNumber(text) == .nonFinite, "\(text)")
        }
        #expect(InputNumber("1e300") == .finite(1e300))
        #expect(InputNumber("abc") == .notANumber)
        #expect(InputNumber("") == .notANumber)
    }

    @Test func timestampsAreBoundedAndSpanChecked() {
        let rule = TimestampRule()
        #expect(throws: Never.self) { try rule.check([0, 1, 87_000, .nan], column: "t", reference: 0, file: "f", line: { $0 + 2 }) }
        for bad in [Double.infinity, 1e300, 1e12, 5e7, 100_000] {
            #expect {
                try rule.check([0, 5, bad], column: "click_time", reference: 0, file: "f.csv", line: { $0 + 2 })
            } throws: { error in
                (error as? InputError)?.line == 4 && (error as? InputError)?.code == .invalidValue
            }
        }
    }
}
