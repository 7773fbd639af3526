/// A sparse matrix in compressed sparse row (CSR) form: the features of row r are
/// `(columnIndices[j], values[j])` for j in `rowOffsets[r] ..< rowOffsets[r + 1]`.
///
/// The input of linear models over hashed categorical and numeric features. Memory O(nnz).
public struct SparseRowMatrix: Sendable, Equatable {
    public let columnCount: Int
    public private(set) var rowOffsets: [Int] = [0]
    public private(set) var columnIndices: [Int32] = []
    public private(set) var values: [Float] = []

    public init(columnCount: Int) {
        self.columnCount = columnCount
    }

    public var rowCount: Int { rowOffsets.count - 1 }

    /// Appends one row; column indices must be in range.
    public mutating func appendRow(columns: [Int32], values rowValues: [Float]) {
        precondition(columns.count == rowValues.count, "SparseRowMatrix: one value per column")
        precondition(columns.allSatisfy { $0 >= 0 && Int($0) < columnCount }, "SparseRowMatrix: column out of range")
        columnIndices.append(contentsOf: columns)
        values.append(contentsOf: rowValues)
        rowOffsets.append(columnIndices.count)
    }

    /// The rows at `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> SparseRowMatrix {
        var result = SparseRowMatrix(columnCount: columnCount)
        for row in indices {
            let range = rowOffsets[row]..<rowOffsets[row + 1]
            result.appendRow(columns: Array(columnIndices[range]), values: Array(values[range]))
        }
        return result
    }

    /// Dot product of row `row` with a dense weight vector.
    @inlinable public func dot(row: Int, _ weights: [Float]) -> Float {
        var total: Float = 0
        for j in rowOffsets[row]..<rowOffsets[row + 1] { total += weights[Int(columnIndices[j])] * values[j] }
        return total
    }
}
