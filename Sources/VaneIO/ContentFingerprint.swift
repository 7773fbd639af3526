import Foundation

/// A 64-bit fingerprint of byte contents, stable across runs, processes and platforms (Swift's
/// `Hasher` is seeded per process, so it cannot tie one file to another).
///
/// FNV-1a over 8-byte little-endian words (then the tail bytes and the length), finished with the
/// splitmix64 mixer so every input bit reaches every output bit. Not cryptographic: it detects
/// files that changed or belong to another model, not an adversary. O(bytes), ~8 bytes per multiply.
public struct ContentFingerprint: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// The fingerprint of the concatenation of `parts`, each framed by its length so that
    /// ("ab", "c") and ("a", "bc") differ.
    public init(of parts: [UnsafeRawBufferPointer]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for part in parts {
            let words = part.count / 8
            for w in 0..<words {
                hash = (hash ^ part.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self).littleEndian) &* prime
            }
            for offset in (8 * words)..<part.count { hash = (hash ^ UInt64(part[offset])) &* prime }
            hash = (hash ^ UInt64(part.count)) &* prime
        }
        // splitmix64 finaliser.
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        value = hash ^ (hash >> 31)
    }

    /// The fingerprint of contiguous byte containers (`Data`, `[UInt8]`; see `init(of:)`).
    public init<Bytes: ContiguousBytes>(of parts: [Bytes]) {
        func hash(_ index: Int, _ buffers: [UnsafeRawBufferPointer]) -> ContentFingerprint {
            index == parts.count ? ContentFingerprint(of: buffers)
                : parts[index].withUnsafeBytes { hash(index + 1, buffers + [$0]) }
        }
        self = hash(0, [])
    }

    /// Sixteen hex digits.
    public var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
