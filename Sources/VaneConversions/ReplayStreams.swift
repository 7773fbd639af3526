/// What each method's stream makes observable in each replay step, precomputed once per log.
///
/// Step s covers [start + s * step, start + (s + 1) * step). A click is evaluated in the step of its
/// click time; its waiting-window sample enters in the step of click + window, labelled as observed
/// then (converted by click + window); a conversion (within attribution) enters in the step of its
/// conversion time. No sample is ever labelled with information from after its entry time.
struct ReplayStreams: Sendable {
    let log: ClickLog
    let windowHours: Double
    let attributionHours: Double
    let stepCount: Int
    /// Clicks by step of their click time.
    private(set) var clicks: [[Int]]
    /// Clicks by step of click + window.
    private(set) var windowEnds: [[Int]]
    /// Conversions (within attribution) by step of their conversion time.
    private(set) var conversions: [[Int]]
    /// The subset of `conversions` later than the click's window end.
    private(set) var latePositives: [[Int]]

    init(log: ClickLog, start: Double, stepHours: Double, windowHours: Double, attributionHours: Double) {
        self.log = log
        self.windowHours = windowHours
        self.attributionHours = attributionHours
        let end = log.clickTimes.max() ?? start
        let steps = max(0, Int(((end - start) / stepHours).rounded(.up)))
        stepCount = steps
        func stepIndex(_ time: Double) -> Int? {
            guard time >= start else { return nil }
            let index = Int((time - start) / stepHours)
            return index < steps ? index : nil
        }
        clicks = Array(repeating: [], count: steps)
        windowEnds = Array(repeating: [], count: steps)
        conversions = Array(repeating: [], count: steps)
        latePositives = Array(repeating: [], count: steps)
        for i in 0..<log.count {
            if let s = stepIndex(log.clickTimes[i]) { clicks[s].append(i) }
            if let s = stepIndex(log.clickTimes[i] + windowHours) { windowEnds[s].append(i) }
            let conversion = log.conversionTimes[i]
            if !conversion.isNaN, conversion - log.clickTimes[i] <= attributionHours, let s = stepIndex(conversion) {
                conversions[s].append(i)
                if conversion > log.clickTimes[i] + windowHours { latePositives[s].append(i) }
            }
        }
    }

    /// Training samples (row, label, weight) that `method` ingests during `step`. `prediction` is the
    /// model's current probability for a row (FNW's weights use it, without gradient).
    func trainingSamples(_ method: DelayedFeedbackMethod, step s: Int, delayedPositive fdp: [Float], realNegative frn: [Float],
                         flip z: [Float], prediction: (Int) -> Float) -> (rows: [Int], labels: [Float], weights: [Float]) {
        var rows: [Int] = [], labels: [Float] = [], weights: [Float] = []
        let observed = { (i: Int) -> Bool in log.converts(i, within: windowHours) }
        switch method {
        case .vanilla, .oracle:
            for i in windowEnds[s] {
                let label = method == .oracle ? log.converts(i, within: attributionHours) : observed(i)
                rows.append(i); labels.append(label ? 1 : 0); weights.append(1)
            }
        case .fnw, .fnc:
            for i in clicks[s] { rows.append(i); labels.append(0); weights.append(1) }
            for i in conversions[s] { rows.append(i); labels.append(1); weights.append(1) }
            if method == .fnw {
                for k in rows.indices {
                    let (positive, negative) = DelayedFeedbackMethod.fnwWeights(prediction: prediction(rows[k]))
                    weights[k] = labels[k] == 1 ? positive : negative
                }
            }
        case .esdfm:
            for i in windowEnds[s] {
                let (positive, negative) = DelayedFeedbackMethod.esdfmWeights(delayedPositive: fdp[i], realNegative: frn[i])
                let label = observed(i)
                rows.append(i); labels.append(label ? 1 : 0); weights.append(label ? positive : negative)
            }
            for i in latePositives[s] {
                rows.append(i); labels.append(1)
                weights.append(DelayedFeedbackMethod.esdfmWeights(delayedPositive: fdp[i], realNegative: frn[i]).positive)
            }
        case .engagement:
            // An observed negative is split DEFUSE-style into a positive part z and a negative part
            // 1 - z, i.e. a soft label z; late conversions are then not re-ingested, since the split
            // already counted them.
            for i in windowEnds[s] {
                rows.append(i); labels.append(observed(i) ? 1 : DelayedFeedbackMethod.engagementSoftLabel(flipProbability: z[i]))
                weights.append(1)
            }
        }
        return (rows, labels, weights)
    }
}
