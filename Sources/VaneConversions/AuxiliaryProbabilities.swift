import Foundation
import VaneLinear
import VaneTensor

/// Per-click probabilities from the auxiliary models, each taken when the stream first needs it (at
/// the click's window end) from the auxiliary models as they were then.
struct AuxiliaryProbabilities: Sendable {
    /// A change of an observed negative's flip probability while engagement arrives.
    struct FlipRevision: Sendable, Equatable {
        let row: Int
        let previous: Float
        let next: Float
    }

    /// f_dp = P(converts after the window | x).
    var delayedPositive: [Float]
    /// f_rn = P(never converts | not converted by the window end, x).
    var realNegative: [Float]
    /// g = P(converts after the window | converts, x) (FSIW).
    var delayGivenConversion: [Float]
    /// z = P(converts later | not by the window end, x, engagement by then) (engagement method).
    var flip: [Float]
    /// Revisions of z by replay step: an engagement event after the window end (before the click's
    /// conversion or attribution end) or a waiting-time boundary re-scores z with what had happened by then.
    var flipRevisions: [[FlipRevision]]
    /// Each click's last z before its outcome is settled (its conversion or attribution end).
    var finalFlip: [Float]

    /// The same four probabilities for every click and no revisions (hand-checked tests).
    static func constant(count: Int, steps: Int, delayedPositive: Float, realNegative: Float, delayGivenConversion: Float,
                         flip: Float) -> Self {
        .init(delayedPositive: .init(repeating: delayedPositive, count: count), realNegative: .init(repeating: realNegative, count: count),
              delayGivenConversion: .init(repeating: delayGivenConversion, count: count), flip: .init(repeating: flip, count: count),
              flipRevisions: .init(repeating: [], count: steps), finalFlip: .init(repeating: flip, count: count))
    }
}

/// The auxiliary models of the importance-weighted and engagement methods, kept learning through the
/// replay: fitted first on the older pretraining clicks (censored outcomes labelled by EM, `learn`), then, every `refreshHours`, given one
/// pass over the clicks that matured since (a click is matured once older than the attribution
/// window, so its labels are final). Nothing they see is from after the moment they are used at.
struct AuxiliaryModels {
    var delayedPositive: OnlineLogisticRegression
    var realNegative: OnlineLogisticRegression
    var delayGivenConversion: OnlineLogisticRegression
    var flip: OnlineLogisticRegression
    let log: ClickLog
    let windowHours: Double
    let attributionHours: Double
    /// Most flip-model snapshots per click: its window end and this many later engagement events.
    static let maximumRevisionsPerClick = 8
    /// Smallest change of z that enters the stream as a revision.
    static let minimumRevision: Float = 1e-3

    init(log: ClickLog, windowHours: Double, attributionHours: Double, configuration: LogisticRegression.Configuration) {
        self.log = log
        self.windowHours = windowHours
        self.attributionHours = attributionHours
        delayedPositive = OnlineLogisticRegression(columnCount: log.features.columnCount, configuration: configuration)
        realNegative = delayedPositive
        delayGivenConversion = delayedPositive
        flip = OnlineLogisticRegression(columnCount: log.features.columnCount + Self.engagementColumnCount, configuration: configuration)
    }

    /// Whether click `i` converted within the waiting window.
    func observed(_ i: Int) -> Bool { log.converts(i, within: windowHours) }

    /// Trains on `rows` with their outcomes as known at `now` (a conversion later than `now` is not
    /// known yet); `passes` shuffled passes. Rows must be older than the window at `now`.
    ///
    /// A row younger than the attribution window at `now` without a conversion is censored: it may
    /// still convert. Counting it a non-converter biases every model low where delays are long (and
    /// before the replay no click may be a whole window old). So censored rows are labelled by EM
    /// (expectation-maximisation over the missing outcome): the first pass reads them as
    /// non-converters; before each later pass each censored row c gets the soft label
    ///
    ///   zeta_c = P(converts by its attribution end | not by now, x, engagement by now, time waited)
    ///          = z(c, now),
    ///
    /// the flip model's current estimate at `now`, the posterior of the missing label given all that
    /// is observed (no look-ahead: it reads only what happened by `now`). Every snapshot of c (taken
    /// before `now`) has the label "converts by the attribution end", so its E-step label is zeta_c
    /// too, as is c's delayed-positive label (it is an observed negative) and 1 - zeta_c its
    /// real-negative label. g (FSIW's delay given conversion) keeps the observed conversions alone.
    /// A row that has waited longer than the longest delay of any known conversion counts as a
    /// non-converter (as Kaplan-Meier, whose hazard is zero past the last observed event): no
    /// observation tells z there from its own echo, and left to EM it drifts to the rows' average
    /// (test `censoredHistoryIsLabelledByItsExpectedOutcome`: every conversion exactly 50 h after
    /// its click). Matured rows (all of a refresh's) and single passes are never relabelled.
    /// Cost per pass after the first: O(censored rows x nnz) for zeta.
    /// In a sharded job `rows` are this rank's and the mini-batches the job's (`StreamReplay.pass`),
    /// so every replica of the four models takes the same steps. Collective.
    mutating func learn<Shards: ReplayShardContext>(_ rows: [Int], knownAt now: Double, passes: Int, batchSize: Int,
                                                    using generator: inout SeededGenerator, shards: inout Shards) throws(Shards.Failure) {
        let log = log, windowHours = windowHours, attributionHours = attributionHours
        let observed = { (i: Int) -> Bool in log.converts(i, within: windowHours) }
        let converted = { (i: Int) -> Bool in
            let t = log.conversionTimes[i]
            return !t.isNaN && t <= now && t - log.clickTimes[i] <= attributionHours
        }
        let negatives = rows.filter { !observed($0) }
        let conversions = rows.filter(converted)
        let snapshots = negatives.flatMap { i in flipMoments(i, before: now).map { (row: i, time: $0) } }
        let snapshotFeatures = Self.engagementFeatures(log, snapshots: snapshots)
        func labels(_ rows: [Int], _ rule: (Int) -> Bool) -> [Float] { rows.map { rule($0) ? 1 : 0 } }
        var delayedLabels = labels(rows) { converted($0) && !observed($0) }, realNegativeLabels = labels(negatives) { !converted($0) }
        let delayLabels = labels(conversions) { !observed($0) }
        var flipLabels = snapshots.map { converted($0.row) ? Float(1) : 0 }
        let snapshotRows = Array(snapshots.indices)
        // Censored rows and, for each, where its labels sit in the three label lists. A row that has
        // waited longer than any known conversion took (over every rank) is settled as a non-converter:
        // the hazard past the longest observed delay is estimated zero, and the flip model's own z
        // there would only echo itself (nothing observed ever converted from that waiting time).
        var longest = [conversions.reduce(0.0) { max($0, log.conversionTimes[$1] - log.clickTimes[$1]) }]
        if passes > 1 { try shards.maximum(&longest) }
        let isCensored = { (i: Int) -> Bool in
            let waited = now - log.clickTimes[i]
            return !converted(i) && waited < attributionHours && waited <= longest[0]
        }
        let censored = passes > 1 ? negatives.filter(isCensored) : []
        let censoredFeatures = Self.engagementFeatures(log, snapshots: censored.map { (row: $0, time: now) })
        var slot = [Int: Int](minimumCapacity: censored.count)
        for (j, i) in censored.enumerated() { slot[i] = j }
        // Built only when there is something to relabel: a refresh (matured rows, one pass) skips them.
        let rowSlots = censored.isEmpty ? [] : rows.map { slot[$0] ?? -1 }
        let negativeSlots = censored.isEmpty ? [] : negatives.map { slot[$0] ?? -1 }
        let snapshotSlots = censored.isEmpty ? [] : snapshots.map { slot[$0.row] ?? -1 }
        for pass in 0..<passes {
            if pass > 0, !censored.isEmpty {
                let zeta = censored.indices.map { flip.probability(censoredFeatures, row: $0) }
                for (k, j) in rowSlots.enumerated() where j >= 0 { delayedLabels[k] = zeta[j] }
                for (k, j) in negativeSlots.enumerated() where j >= 0 { realNegativeLabels[k] = 1 - zeta[j] }
                for (k, j) in snapshotSlots.enumerated() where j >= 0 { flipLabels[k] = zeta[j] }
            }
            try StreamReplay.pass(&delayedPositive, log.features, rows: rows, labels: delayedLabels, batchSize: batchSize, using: &generator, shards: &shards)
            try StreamReplay.pass(&realNegative, log.features, rows: negatives, labels: realNegativeLabels, batchSize: batchSize, using: &generator, shards: &shards)
            try StreamReplay.pass(&delayGivenConversion, log.features, rows: conversions, labels: delayLabels, batchSize: batchSize, using: &generator, shards: &shards)
            try StreamReplay.pass(&flip, snapshotFeatures, rows: snapshotRows, labels: flipLabels, batchSize: batchSize, using: &generator, shards: &shards)
        }
    }

    /// Elapsed times since the click, hours, where the flip model's waiting-time bucket changes.
    static let waitingBoundaries: [Double] = [2, 6, 24, 72, 168]

    /// The moments the engagement method scores an observed negative's z: its window end, each
    /// engagement event after it (at most `maximumRevisionsPerClick`), and each waiting-time bucket
    /// boundary, before its conversion, its attribution end and `limit`; sorted. Between two moments
    /// the flip model's inputs do not change, so z is always the flip model's current estimate.
    /// O(events of the click).
    func flipMoments(_ i: Int, before limit: Double) -> [Double] {
        let click = log.clickTimes[i], windowEnd = click + windowHours
        var end = min(limit, click + attributionHours)
        if !log.conversionTimes[i].isNaN { end = min(end, log.conversionTimes[i]) }
        guard windowEnd < end else { return windowEnd <= limit ? [windowEnd] : [] }
        var later = Self.waitingBoundaries.map { click + $0 }.filter { $0 > windowEnd && $0 < end }
        var events = 0
        for e in log.engagement.events(of: i) {
            let t = log.engagement.times[e]
            guard t < end else { break }
            if t > windowEnd {
                later.append(t)
                events += 1
                if events == Self.maximumRevisionsPerClick { break }
            }
        }
        later.sort()
        var moments = [windowEnd]
        for t in later where t != moments.last! { moments.append(t) }
        return moments
    }

    /// Columns the flip model adds to a click's features: cart by then, favourite by then, views
    /// >= 1, views >= 3, log(1 + views), and six one-hot buckets of the time since the click (< 2 h,
    /// 2-6 h, 6-24 h, 1-3 d, 3-7 d, >= 7 d), since a click that has waited long without converting is
    /// less likely to convert.
    static let engagementColumnCount = 11

    /// Flip-model rows: each snapshot's click features plus what had happened by its time.
    static func engagementFeatures(_ log: ClickLog, snapshots: [(row: Int, time: Double)]) -> SparseRowMatrix {
        let base = log.features.columnCount
        var matrix = SparseRowMatrix(columnCount: base + engagementColumnCount)
        for (row, time) in snapshots {
            let range = log.features.rowOffsets[row]..<log.features.rowOffsets[row + 1]
            var columns = Array(log.features.columnIndices[range]), values = Array(log.features.values[range])
            let counts = log.engagement.counts(of: row, by: time)
            func set(_ offset: Int, _ value: Float = 1) { columns.append(Int32(base + offset)); values.append(value) }
            if counts.carts > 0 { set(0) }
            if counts.favourites > 0 { set(1) }
            if counts.views >= 1 { set(2) }
            if counts.views >= 3 { set(3) }
            if counts.views > 0 { set(4, Float(Foundation.log1p(Double(counts.views)))) }
            let elapsed = time - log.clickTimes[row]
            let bucket = waitingBoundaries.firstIndex { elapsed < $0 } ?? waitingBoundaries.count
            set(5 + bucket)
            matrix.appendRow(columns: columns, values: values)
        }
        return matrix
    }

    /// z for click `row` at `time` under the current flip model.
    func flipProbability(_ row: Int, at time: Double) -> Float {
        flip.probability(Self.engagementFeatures(log, snapshots: [(row, time)]), row: 0)
    }
}

extension StreamReplay {
    /// Walks the replay's steps once, refreshing `models` on schedule, and records each probability
    /// when the streams first need it: f_dp, f_rn, g and z at a click's window end, and z again at
    /// each later engagement event of an observed negative (`flipRevisions`). Clicks whose window
    /// ended before the replay keep the first models' f_dp, f_rn and g (late copies and attribution
    /// ends may still use them), no z and no revisions (their window sample was part of pretraining). Independent of the method, so computed once.
    /// In a sharded job: this rank's clicks, the models refreshed together on the job's schedule;
    /// collective. O(clicks x nnz + refreshes x matured clicks x nnz).
    func auxiliaryTimeline<Shards: ReplayShardContext>(_ initial: AuxiliaryModels, streams: ReplayStreams, start: Double,
                                                       using generator: inout SeededGenerator, shards: inout Shards) throws(Shards.Failure) -> AuxiliaryProbabilities {
        let c = configuration, log = streams.log
        var models = initial
        let all = 0..<log.count
        var probabilities = AuxiliaryProbabilities(
            delayedPositive: all.map { models.delayedPositive.probability(log.features, row: $0) },
            realNegative: all.map { models.realNegative.probability(log.features, row: $0) },
            delayGivenConversion: all.map { models.delayGivenConversion.probability(log.features, row: $0) },
            // z is read only for the clicks whose window ends inside the replay, and set there below.
            flip: Array(repeating: 0, count: log.count),
            flipRevisions: Array(repeating: [], count: streams.stepCount),
            finalFlip: Array(repeating: .nan, count: log.count))
        // Engagement events after an observed negative's window end, by the step they happen in.
        var events = [[(row: Int, time: Double)]](repeating: [], count: streams.stepCount)
        for i in all where !models.observed(i) {
            for t in models.flipMoments(i, before: .infinity).dropFirst() {
                let step = Int((t - start) / c.stepHours)
                if t >= start, step < streams.stepCount { events[step].append((i, t)) }
            }
        }
        let byClick = all.sorted { log.clickTimes[$0] < log.clickTimes[$1] }
        var maturedCursor = byClick.firstIndex { log.clickTimes[$0] + c.attributionHours > start } ?? byClick.count
        var nextRefresh = start + c.auxiliaryRefreshHours
        for s in 0..<streams.stepCount {
            let stepStart = start + Double(s) * c.stepHours
            if c.auxiliaryRefreshHours > 0, stepStart >= nextRefresh {
                var end = maturedCursor
                while end < byClick.count, log.clickTimes[byClick[end]] + c.attributionHours <= stepStart { end += 1 }
                try models.learn(Array(byClick[maturedCursor..<end]), knownAt: stepStart, passes: 1, batchSize: c.model.batchSize, using: &generator, shards: &shards)
                maturedCursor = end
                while nextRefresh <= stepStart { nextRefresh += c.auxiliaryRefreshHours }
            }
            for i in streams.windowEnds[s] {
                probabilities.delayedPositive[i] = models.delayedPositive.probability(log.features, row: i)
                probabilities.realNegative[i] = models.realNegative.probability(log.features, row: i)
                probabilities.delayGivenConversion[i] = models.delayGivenConversion.probability(log.features, row: i)
                if !models.observed(i) {
                    let z = models.flipProbability(i, at: log.clickTimes[i] + c.windowHours)
                    probabilities.flip[i] = z
                    probabilities.finalFlip[i] = z
                }
            }
            for (i, t) in events[s].sorted(by: { $0.time < $1.time }) {
                let previous = probabilities.finalFlip[i]
                guard !previous.isNaN else { continue }
                let next = models.flipProbability(i, at: t)
                if abs(next - previous) >= AuxiliaryModels.minimumRevision {
                    probabilities.flipRevisions[s].append(.init(row: i, previous: previous, next: next))
                    probabilities.finalFlip[i] = next
                }
            }
        }
        return probabilities
    }
}
