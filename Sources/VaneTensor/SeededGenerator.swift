import Foundation

/// A fast, seedable pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2021). Same seed, same
/// sequence, on every platform: Vane passes one of these explicitly wherever randomness is used and
/// never touches global random state. 2^256 - 1 period; `jumped(by:)`-free stream splitting is done
/// by seeding children from the parent (`split()`), which is enough for data-parallel determinism.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    @inlinable static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotateLeft(state.3, 45)
        return result
    }

    /// A child generator with an independent-looking stream, derived deterministically.
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    /// Uniform `Float` in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform integer in `0..<upperBound` (Lemire's nearly-divisionless method via the stdlib).
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// Standard normal sample (Box-Muller; one of the pair is discarded for simplicity).
    public mutating func nextGaussian() -> Double {
        var u1 = nextUnitDouble()
        while u1 <= .leastNormalMagnitude { u1 = nextUnitDouble() }
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Advances the generator past `count` `nextGaussian()` draws without computing them (the same
    /// 64-bit words are consumed, so what follows is what would follow the draws): how a rank of a
    /// data-parallel job keeps a one-process stream while drawing only its own rows. O(count), without
    /// the draws' log, square root and cosine.
    public mutating func skipGaussians(_ count: Int) {
        for _ in 0..<max(0, count) {
            // nextUnitDouble() <= leastNormalMagnitude exactly when its 53 bits are all zero.
            while next() >> 11 == 0 {}
            _ = next()
        }
    }
}
