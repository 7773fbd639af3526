/// Labelled predictions with their uncertainty: the input every threshold policy is fitted on.
public struct ScoredExamples: Sendable {
    public let scores: [Double]
    public let uncertainties: [Double]
    public let labels: [Bool]

    /// Checks lengths and finiteness; the error names the first bad example (1-based, as a file's data rows). Uncertainties may
    /// be any finite monotone measure, negative ones included (a Beta's differential entropy is <= 0):
    /// policies use only their order.
    public init(scores: [Double], uncertainties: [Double], labels: [Bool]) throws(DecisionError) {
        guard scores.count == uncertainties.count, scores.count == labels.count else {
            throw DecisionError(.invalidInput, "scores (\(scores.count)), uncertainties (\(uncertainties.count)) and labels (\(labels.count)) differ in length")
        }
        guard !scores.isEmpty else { throw DecisionError(.invalidInput, "no examples") }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw DecisionError(.invalidInput, "score of example \(bad + 1) (1-based) is \(scores[bad]); scores must be finite")
        }
        if let bad = uncertainties.firstIndex(where: { !$0.isFinite }) {
            throw DecisionError(.invalidInput, "uncertainty of example \(bad + 1) (1-based) is \(uncertainties[bad]); uncertainties must be finite")
        }
        self.scores = scores
        self.uncertainties = uncertainties
        self.labels = labels
    }

    public var count: Int { scores.count }
    public var positiveCount: Int { labels.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The examples at `indices`.
    public func subset(_ indices: [Int]) -> ScoredExamples {
        try! ScoredExamples(scores: indices.map { scores[$0] }, uncertainties: indices.map { uncertainties[$0] },
                            labels: indices.map { labels[$0] })
    }
}
