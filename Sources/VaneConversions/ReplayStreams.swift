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
    /// Which revisions of its soft labels the engagement method's stream carries.
    var revisions = EngagementRevisions.lateCopies
    /// Weight c of the engagement method's late positive copies (`.lateCopies`); the window-end soft
    /// label is then z (1 - c + c p) (`DelayedFeedbackMethod.lateCopySoftLabel`).
    var lateCopyWeight: Float = 1
    /// Clicks by step of their click time.
    private(set) var clicks: [[Int]]
    /// Clicks by step of click + window.
    private(set) var windowEnds: [[Int]]
    /// Conversions (within attribution) by step of their conversion time.
    private(set) var conversions: [[Int]]
    /// The subset of `conversions` later than the click's window end.
    private(set) var latePositives: [[Int]]
    /// Clicks by step of click + attribution window (when a non-conversion becomes certain).
    private(set) var attributionEnds: [[Int]]

    /// Steps from `start` until `end` (default: the log's last click; a sharded replay passes the
    /// job's, so every rank has the same steps).
    init(log: ClickLog, start: Double, end: Double? = nil, stepHours: Double, windowHours: Double, attributionHours: Double) {
        self.log = log
        self.windowHours = windowHours
        self.attributionHours = attributionHours
        let end = end ?? log.clickTimes.max() ?? start
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
        attributionEnds = Array(repeating: [], count: steps)
        for i in 0..<log.count {
            if let s = stepIndex(log.clickTimes[i]) { clicks[s].append(i) }
            if let s = stepIndex(log.clickTimes[i] + windowHours) { windowEnds[s].append(i) }
            if let s = stepIndex(log.clickTimes[i] + attributionHours) { attributionEnds[s].append(i) }
            let conversion = log.conversionTimes[i]
            if !conversion.isNaN, conversion - log.clickTimes[i] <= attributionHours, let s = stepIndex(conversion) {
                conversions[s].append(i)
                if conversion > log.clickTimes[i] + windowHours { latePositives[s].append(i) }
            }
        }
    }

    /// How many of `trainingSamples(method, step:)` are samples rather than corrections: all of them,
    /// except for the engagement method, whose revision pairs follow its window-end samples.
    func regularSampleCount(_ method: DelayedFeedbackMethod, step s: Int) -> Int? {
        method == .engagement && revisions != .lateCopies ? windowEnds[s].count : nil
    }

    /// Training samples (row, label, weight) that `method` ingests during `step`. `prediction` is the
    /// model's current probability for a row (FNW's and DEFER's weights use it, without gradient).
    func trainingSamples(_ method: DelayedFeedbackMethod, step s: Int, auxiliary: AuxiliaryProbabilities,
                         prediction: (Int) -> Float) -> (rows: [Int], labels: [Float], weights: [Float]) {
        var rows: [Int] = [], labels: [Float] = [], weights: [Float] = []
        func add(_ row: Int, _ label: Float, _ weight: Float) { rows.append(row); labels.append(label); weights.append(weight) }
        let observed = { (i: Int) -> Bool in log.converts(i, within: windowHours) }
        switch method {
        case .vanilla, .oracle:
            for i in windowEnds[s] {
                let label = method == .oracle ? log.converts(i, within: attributionHours) : observed(i)
                add(i, label ? 1 : 0, 1)
            }
        case .fnw, .fnc:
            for i in clicks[s] { add(i, 0, method == .fnw ? DelayedFeedbackMethod.fnwWeights(prediction: prediction(i)).negative : 1) }
            for i in conversions[s] { add(i, 1, method == .fnw ? DelayedFeedbackMethod.fnwWeights(prediction: prediction(i)).positive : 1) }
        case .fsiw:
            for i in windowEnds[s] {
                let (positive, negative) = DelayedFeedbackMethod.fsiwWeights(delayGivenConversion: auxiliary.delayGivenConversion[i],
                                                                           realNegative: auxiliary.realNegative[i])
                add(i, observed(i) ? 1 : 0, observed(i) ? positive : negative)
            }
        case .esdfm:
            for i in windowEnds[s] {
                let (positive, negative) = DelayedFeedbackMethod.esdfmWeights(delayedPositive: auxiliary.delayedPositive[i], realNegative: auxiliary.realNegative[i])
                add(i, observed(i) ? 1 : 0, observed(i) ? positive : negative)
            }
            for i in latePositives[s] {
                add(i, 1, DelayedFeedbackMethod.esdfmWeights(delayedPositive: auxiliary.delayedPositive[i], realNegative: auxiliary.realNegative[i]).positive)
            }
        case .defer:
            // Each click twice: at its window end with the observed label (an immediate positive twice
            // right away), then a late positive at its conversion or a real negative at attribution end.
            func weights(_ i: Int) -> (positive: Float, negative: Float) {
                DelayedFeedbackMethod.deferWeights(prediction: prediction(i), delayedPositive: auxiliary.delayedPositive[i])
            }
            for i in windowEnds[s] {
                let w = weights(i)
                if observed(i) { add(i, 1, w.positive); add(i, 1, w.positive) } else { add(i, 0, w.negative) }
            }
            for i in latePositives[s] { add(i, 1, weights(i).positive) }
            for i in attributionEnds[s] where !log.converts(i, within: attributionHours) { add(i, 0, weights(i).negative) }
        case .defuse:
            for i in windowEnds[s] {
                let w = DelayedFeedbackMethod.defuseWeights(delayedPositive: auxiliary.delayedPositive[i], realNegative: auxiliary.realNegative[i])
                if observed(i) {
                    add(i, 1, w.immediatePositive)
                } else {
                    add(i, 1, w.fakeNegative)
                    add(i, 0, w.realNegative)
                }
            }
            for i in latePositives[s] { add(i, 1, 1) }
        case .engagement:
            // The soft label z of an observed negative is a running estimate of its outcome: it enters
            // at the window end, and each revision (an engagement event, then the conversion or the
            // attribution end) replaces the previous estimate by a pair of samples, +1 at the new
            // label and -1 at the old one, so each click's samples always add up to one sample
            // labelled with its latest estimate (DelayedFeedbackMethod.engagement).
            if revisions == .lateCopies {
                // Late conversions re-enter as positive copies of weight c; the window-end soft label is
                // then z (1 - c + c p) so that copies and soft labels together stay unbiased
                // (EngagementRevisions.lateCopies).
                for i in windowEnds[s] {
                    add(i, observed(i) ? 1 : DelayedFeedbackMethod.lateCopySoftLabel(flipProbability: auxiliary.flip[i], prediction: prediction(i),
                                                                                     copyWeight: lateCopyWeight), 1)
                }
                for i in latePositives[s] { add(i, 1, lateCopyWeight) }
                break
            }
            for i in windowEnds[s] {
                add(i, observed(i) ? 1 : DelayedFeedbackMethod.engagementSoftLabel(flipProbability: auxiliary.flip[i]), 1)
            }
            // Revisions were thinned when recorded; a settled outcome within 1e-3 of its estimate is
            // skipped (it would change the click's label by less than that).
            func revise(_ row: Int, from previous: Float, to next: Float, skippingSmall: Bool = false) {
                let old = DelayedFeedbackMethod.engagementSoftLabel(flipProbability: previous)
                if skippingSmall && abs(next - old) < AuxiliaryModels.minimumRevision { return }
                add(row, next, 1)
                add(row, old, -1)
            }
            if revisions == .none { break }
            for revision in auxiliary.flipRevisions[s] {
                revise(revision.row, from: revision.previous, to: DelayedFeedbackMethod.engagementSoftLabel(flipProbability: revision.next))
            }
            if revisions == .engagement { break }
            for i in latePositives[s] where !auxiliary.finalFlip[i].isNaN { revise(i, from: auxiliary.finalFlip[i], to: 1, skippingSmall: true) }
            for i in attributionEnds[s] where !observed(i) && !log.converts(i, within: attributionHours) && !auxiliary.finalFlip[i].isNaN {
                revise(i, from: auxiliary.finalFlip[i], to: 0, skippingSmall: true)
            }
        }
        return (rows, labels, weights)
    }
}
