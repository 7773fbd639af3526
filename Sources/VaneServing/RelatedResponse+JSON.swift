/// The `/v1/related` body written by hand: byte for byte what `ServingRoutes.encoder()` produces
/// (sorted keys, `/` escaped, shortest float digits), without the generic `Encodable` machinery,
/// which was most of the CPU time of an answer served from the index. O(bytes).
extension RelatedResponse {
    func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + results.count * (item.utf8.count + 40))
        out.append(contentsOf: #"{"item":"#.utf8)
        Self.appendString(item, to: &out)
        out.append(contentsOf: #","model_version":"#.utf8)
        out.append(contentsOf: String(modelVersion).utf8)
        out.append(contentsOf: #","results":["#.utf8)
        for (position, result) in results.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"item":"#.utf8)
            Self.appendString(result.item, to: &out)
            out.append(contentsOf: #","score":"#.utf8)
            // Scores are finite (models and indexes are checked at load). JSONEncoder writes the
            // shortest round-tripping digits (`description`) without a trailing ".0".
            let digits = result.score.description
            out.append(contentsOf: digits.hasSuffix(".0") ? digits.utf8.dropLast(2) : digits.utf8[...])
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// A JSON string literal: quote, backslash and `/` escaped, control characters as \b \f \n \r \t
    /// or \u00XX, everything else as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "/"): out.append(contentsOf: #"\/"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
