import VaneIO

extension TableFeatureEncoder {
    /// Largest hash space: encoded column indices are Int32.
    public static let maximumHashBuckets = 1 << 30

    /// The invariants encoding relies on, checked when an encoder is read from a model file: a hash
    /// space of 1...2^30 buckets (bucket = hash mod buckets), unique feature names, and for every
    /// numeric column a finite mean and a finite positive deviation (values are divided by it).
    /// `file` names the document in the error; the message names the field. O(columns).
    public func validate(file: String) throws(InputError) {
        guard hashBuckets >= 1, hashBuckets <= Self.maximumHashBuckets else {
            throw InputError(.invalidValue, file: file, "encoder.hashBuckets must be in 1...\(Self.maximumHashBuckets), got \(hashBuckets)")
        }
        guard Set(featureColumns).count == featureColumns.count else {
            throw InputError(.invalidValue, file: file, "encoder.featureColumns lists a name twice")
        }
        let known = Set(featureColumns)
        for name in numericStatistics.keys.sorted() {
            let scale = numericStatistics[name]!
            guard known.contains(name) else {
                throw InputError(.invalidValue, file: file, "encoder.numericStatistics.\(name): not one of encoder.featureColumns")
            }
            guard scale.mean.isFinite, abs(scale.mean) <= 1e300 else {
                throw InputError(.invalidValue, file: file, "encoder.numericStatistics.\(name).mean must be finite, got \(scale.mean)")
            }
            guard scale.deviation.isFinite, scale.deviation > 0 else {
                throw InputError(.invalidValue, file: file, "encoder.numericStatistics.\(name).deviation must be finite and > 0, got \(scale.deviation)")
            }
        }
        guard 2 * numericStatistics.count + hashBuckets <= Int(Int32.max) else {
            throw InputError(.invalidValue, file: file, "encoder has more columns than Int32 indices allow")
        }
    }
}
