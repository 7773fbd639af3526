/// The one rule for timestamps in event logs: finite, of bounded magnitude, and spanning a bounded
/// time, so that work proportional to the span (hourly replay steps) stays proportional to the data.
///
/// A log that spans more than `maximumSpanHours` almost always mixes units (epoch seconds or
/// milliseconds in a column that expects hours); the error says so and names the two rows.
public struct TimestampRule: Sendable, Equatable {
    /// Largest |time|, hours (about 11,000 years: any epoch-based time in hours fits).
    public var maximumMagnitudeHours: Double = 1e8
    /// Largest span between the earliest and the latest time of one log, hours (10 years).
    public var maximumSpanHours: Double = 87_660

    public init() {}

    /// Checks `hours` (NaN allowed where `allowMissing`; the caller checks presence): each finite and
    /// within `maximumMagnitudeHours`, and every value within `maximumSpanHours` of the earliest
    /// `reference` time (the clicks' minimum). `line(row)` gives the file line of a row for errors.
    /// O(n).
    public func check(_ hours: [Double], column: String, reference: Double, file: String,
                      line: (Int) -> Int?) throws(InputError) {
        for (row, value) in hours.enumerated() where !value.isNaN {
            guard value.isFinite, abs(value) <= maximumMagnitudeHours else {
                throw InputError(.invalidValue, file: file, line: line(row),
                                 "\(column) \(value) is outside +-\(Int(maximumMagnitudeHours)) hours")
            }
            guard value - reference <= maximumSpanHours else {
                throw InputError(.invalidValue, file: file, line: line(row),
                                 "\(column) \(value) lies \(value - reference) hours after the earliest click (\(reference)); "
                                 + "a log may span at most \(Int(maximumSpanHours)) hours (10 years). Mixed units (seconds or milliseconds where hours are expected)?")
            }
        }
    }
}
