/// The data gradient of one mini-batch of a sparse logistic regression: one value per touched
/// column (each column once) and the bias's.
///
/// A batch split over processes has one part per process; `init(summing:)` adds them column by
/// column in the order given, so every process that sums the same parts in the same order gets the
/// same floats. Memory O(touched columns).
public struct LogisticGradient: Sendable, Equatable {
    public var columns: [Int32]
    public var values: [Float]
    public var bias: Float

    public init(columns: [Int32], values: [Float], bias: Float) {
        precondition(columns.count == values.count, "LogisticGradient: one value per column")
        self.columns = columns
        self.values = values
        self.bias = bias
    }

    /// The sum of `parts` (a column may appear in several): columns in order of first appearance,
    /// each column's values added in the parts' order, the first one taken as is.
    /// O(total columns of the parts).
    public init(summing parts: [LogisticGradient]) {
        var position: [Int32: Int] = [:]
        var columns: [Int32] = [], values: [Float] = []
        var bias: Float = 0
        for (p, part) in parts.enumerated() {
            bias = p == 0 ? part.bias : bias + part.bias
            for (column, value) in zip(part.columns, part.values) {
                if let k = position[column] {
                    values[k] += value
                } else {
                    position[column] = columns.count
                    columns.append(column)
                    values.append(value)
                }
            }
        }
        self.init(columns: columns, values: values, bias: bias)
    }
}
