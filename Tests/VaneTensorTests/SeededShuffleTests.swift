import Testing
import VaneTensor

@Suite("Seeded shuffles and samples")
struct SeededShuffleTests {
    /// `seededSampled` (no copy of a long collection) keeps what copying and `seededSample` keep, and
    /// leaves the generator where they leave it: on the copy path (n <= 64 x count), on the
    /// dictionary path (n > 64 x count), and at the edges (nothing kept, everything kept).
    @Test(arguments: [(0, 0), (5, 0), (5, 5), (5, 9), (1000, 1), (1000, 15), (1000, 16), (1000, 999),
                      (100_000, 3), (100_000, 1000), (100_000, 1563)])
    func sampledWithoutCopyingKeepsTheCopysSample(size: Int, keeping: Int) {
        let values = (0..<size).map { Int32($0) * 7 + 3 }
        for seed in [UInt64(1), 2, 99] {
            var copied = SeededGenerator(seed: seed), replayed = SeededGenerator(seed: seed)
            var copy = values
            copy.seededSample(keeping: keeping, using: &copied)
            let sample = values.seededSampled(keeping: keeping, using: &replayed)
            #expect(sample == copy, "size \(size), keeping \(keeping), seed \(seed)")
            #expect(copied.next() == replayed.next(), "the generators must be left in the same state")
        }
    }

    /// A sample of one from 200 elements (the dictionary path) is the element the first draw names.
    @Test func sampleOfOneIsTheDrawnElement() {
        let values = Array(0..<200).map { $0 + 10 }
        var draw = SeededGenerator(seed: 5), sampling = SeededGenerator(seed: 5)
        let expected = values[draw.nextIndex(below: values.count)]
        #expect(values.seededSampled(keeping: 1, using: &sampling) == [expected])
        #expect(Set(values.seededSampled(keeping: 3, using: &sampling)).count == 3, "a sample has no repeats")
    }
}
