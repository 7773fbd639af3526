/// What a person looks at to judge a 2-D policy: the observed positive rate in each (uncertainty bin,
/// score decile) cell of some labelled examples, and which cells the policy accepts.
///
/// Rows are the policy's own uncertainty bins (least uncertain first); columns are equal-mass score
/// bins of the examples. O(n log n) for n examples.
public struct DecisionMap: Sendable, Equatable {
    /// Positive rate per [uncertainty bin][score bin]; nil where a cell holds no example.
    public let positiveRates: [[Double?]]
    /// Examples per cell.
    public let counts: [[Int]]
    /// Whether the policy accepts at least half of a cell's examples.
    public let accepted: [[Bool]]

    public init(policy: ThresholdPolicy, examples: ScoredExamples, scoreBins: Int = 10) {
        precondition(scoreBins >= 1, "DecisionMap: scoreBins must be positive")
        let rows = policy.uncertaintyCuts.count + 1
        let sortedScores = examples.scores.radixSorted()
        let scoreCuts = (1..<scoreBins).map { sortedScores[$0 * sortedScores.count / scoreBins] }
        var positives = [[Int]](repeating: [Int](repeating: 0, count: scoreBins), count: rows)
        var counts = positives, acceptedCounts = positives
        for i in 0..<examples.count {
            let row = policy.uncertaintyBin(examples.uncertainties[i])
            let column = scoreCuts.countAtOrBelow(examples.scores[i])
            counts[row][column] += 1
            if examples.labels[i] { positives[row][column] += 1 }
            if policy.decide(score: examples.scores[i], uncertainty: examples.uncertainties[i]) { acceptedCounts[row][column] += 1 }
        }
        positiveRates = (0..<rows).map { r in (0..<scoreBins).map { c in counts[r][c] > 0 ? Double(positives[r][c]) / Double(counts[r][c]) : nil } }
        accepted = (0..<rows).map { r in (0..<scoreBins).map { c in counts[r][c] > 0 && 2 * acceptedCounts[r][c] >= counts[r][c] } }
        self.counts = counts
    }
}

/// The premise of per-uncertainty thresholds, measured: within a band of similar scores, how the
/// positive rate changes with uncertainty. Where it falls as uncertainty rises (at high scores), a
/// single score threshold accepts uncertain examples whose score overstates them.
///
/// Scores are cut into `scoreBands` equal-mass bands; within each band, uncertainties into
/// `uncertaintyBins` equal-mass bins. O(n log n).
public struct PremiseCurves: Sendable, Equatable {
    public struct Band: Sendable, Equatable {
        /// Lowest and highest score in the band.
        public let scoreRange: ClosedRange<Double>
        /// Per uncertainty bin (least uncertain first): the bin's mid quantile in (0, 1) and its positive rate.
        public let points: [(quantile: Double, positiveRate: Double)]

        public static func == (a: Band, b: Band) -> Bool {
            a.scoreRange == b.scoreRange && a.points.elementsEqual(b.points) { $0.quantile == $1.quantile && $0.positiveRate == $1.positiveRate }
        }
    }

    public let bands: [Band]

    public init(examples: ScoredExamples, scoreBands: Int = 3, uncertaintyBins: Int = 5) {
        precondition(scoreBands >= 1 && uncertaintyBins >= 1, "PremiseCurves: bin counts must be positive")
        let byScore = (0..<examples.count).sorted { examples.scores[$0] < examples.scores[$1] }
        var bands: [Band] = []
        for band in 0..<scoreBands {
            let members = Array(byScore[(band * byScore.count / scoreBands)..<((band + 1) * byScore.count / scoreBands)])
            guard !members.isEmpty else { continue }
            let byUncertainty = members.sorted { examples.uncertainties[$0] < examples.uncertainties[$1] }
            var points: [(quantile: Double, positiveRate: Double)] = []
            for bin in 0..<uncertaintyBins {
                let slice = byUncertainty[(bin * byUncertainty.count / uncertaintyBins)..<((bin + 1) * byUncertainty.count / uncertaintyBins)]
                guard !slice.isEmpty else { continue }
                let rate = Double(slice.filter { examples.labels[$0] }.count) / Double(slice.count)
                points.append(((Double(bin) + 0.5) / Double(uncertaintyBins), rate))
            }
            bands.append(Band(scoreRange: examples.scores[members.first!]...examples.scores[members.last!], points: points))
        }
        self.bands = bands
    }
}
