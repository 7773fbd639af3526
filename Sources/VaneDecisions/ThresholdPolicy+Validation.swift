/// The invariants a policy must hold before it may decide anything; `load(path:)` checks them, so a
/// hand-edited or truncated policy file is refused with the field at fault instead of crashing
/// `decide` later. O(U + calibration blocks).
extension ThresholdPolicy {
    /// Throws `policyFile` naming the first field that breaks an invariant.
    public func validate() throws(DecisionError) {
        func fail(_ field: String, _ message: String) -> DecisionError { DecisionError(.policyFile, "\(field): \(message)") }
        guard targetPrecision > 0, targetPrecision <= 1 else { throw fail("targetPrecision", "must be in (0, 1], got \(targetPrecision)") }
        if case .wilson(let confidence) = bound, !(confidence > 0.5 && confidence < 1) {
            throw fail("bound.wilson.confidence", "must be in (0.5, 1), got \(confidence)")
        }
        if case .clopperPearson(let confidence) = bound, !(confidence > 0.5 && confidence < 1) {
            throw fail("bound.clopperPearson.confidence", "must be in (0.5, 1), got \(confidence)")
        }
        let bins = scoreThresholds.count
        guard bins >= 1, bins <= 1_000_000 else { throw fail("scoreThresholds", "needs 1 to 1,000,000 entries (one per uncertainty bin), got \(bins)") }
        guard uncertaintyCuts.count == bins - 1 else {
            throw fail("uncertaintyCuts", "needs \(bins - 1) cut points for the \(bins) entries of scoreThresholds (one per bin), got \(uncertaintyCuts.count)")
        }
        if let bad = uncertaintyCuts.firstIndex(where: { !$0.isFinite }) {
            throw fail("uncertaintyCuts[\(bad)]", "must be finite, got \(uncertaintyCuts[bad])")
        }
        if let bad = uncertaintyCuts.indices.dropFirst().first(where: { uncertaintyCuts[$0] < uncertaintyCuts[$0 - 1] }) {
            throw fail("uncertaintyCuts[\(bad)]", "cut points must be ascending; \(uncertaintyCuts[bad]) follows \(uncertaintyCuts[bad - 1])")
        }
        if let bad = scoreThresholds.firstIndex(where: { $0.isNaN }) { throw fail("scoreThresholds[\(bad)]", "is NaN") }
        switch kind {
        case .single:
            guard bins == 1 else { throw fail("scoreThresholds", "a single policy has one threshold, got \(bins)") }
            guard calibrations.isEmpty else { throw fail("calibrations", "a single policy has none, got \(calibrations.count)") }
        case .ewDPMT, .mist:
            guard calibrations.count == bins else {
                throw fail("calibrations", "needs one per uncertainty bin (\(bins)), got \(calibrations.count)")
            }
            for (k, calibration) in calibrations.enumerated() {
                do { try calibration.validate() } catch { throw DecisionError(.policyFile, "calibrations[\(k)].\(error.message)") }
            }
        }
        guard fit.examples >= 0 else { throw fail("fit.examples", "must be >= 0, got \(fit.examples)") }
    }
}

extension IsotonicRegression {
    /// A step function: at least one block, finite ascending starts, finite non-decreasing values in
    /// [0, 1]. Errors name the field (`blockStarts`, `values[3]`) in the message.
    public func validate() throws(DecisionError) {
        func fail(_ message: String) -> DecisionError { DecisionError(.policyFile, message) }
        guard !values.isEmpty else { throw fail("values: a calibration needs at least one block") }
        guard blockStarts.count == values.count else { throw fail("blockStarts: \(blockStarts.count) starts for \(values.count) values") }
        if let bad = blockStarts.firstIndex(where: { !$0.isFinite }) { throw fail("blockStarts[\(bad)]: must be finite, got \(blockStarts[bad])") }
        if let bad = blockStarts.indices.dropFirst().first(where: { blockStarts[$0] <= blockStarts[$0 - 1] }) {
            throw fail("blockStarts[\(bad)]: must be strictly ascending")
        }
        if let bad = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) { throw fail("values[\(bad)]: must be a rate in [0, 1], got \(values[bad])") }
        if let bad = values.indices.dropFirst().first(where: { values[$0] < values[$0 - 1] }) {
            throw fail("values[\(bad)]: must not decrease (\(values[bad]) after \(values[bad - 1]))")
        }
    }
}
