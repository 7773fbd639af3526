/// A dense, row-major matrix of `Float` values.
///
/// Storage is one contiguous `[Float]` of `rows * columns` elements; element `(r, c)` lives at
/// `r * columns + c`. Copy-on-write comes from `Array`. A vector is a matrix with one column
/// (or one row); a scalar is 1 x 1.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Row-major elements, `rows * columns` of them.
    public var values: [Float]

    /// A matrix filled with one value.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix whose every element `fill` writes (no zero-filling first). `fill` must initialise
    /// all `rows * columns` elements of the buffer it is given.
    init(rows: Int, columns: Int, fillingEveryElement fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialised in
            fill(buffer)
            initialised = rows * columns
        }
    }

    /// A matrix over existing row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(values.count == rows * columns,
                     "Matrix of \(rows)x\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from nested rows, all of the same length (convenient for small fixtures).
    public init(_ nestedRows: [[Float]]) {
        let columnCount = nestedRows.first?.count ?? 0
        precondition(nestedRows.allSatisfy { $0.count == columnCount }, "Ragged rows")
        self.init(rows: nestedRows.count, columns: columnCount, values: nestedRows.flatMap { $0 })
    }

    /// A column vector (n x 1).
    public init(column: [Float]) {
        self.init(rows: column.count, columns: 1, values: column)
    }

    /// All-zero matrix.
    public static func zeros(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns)
    }

    /// Number of elements.
    @inlinable public var count: Int { values.count }

    /// Element at `(row, column)`.
    @inlinable public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ index: Int) -> [Float] {
        Array(values[(index * columns)..<((index + 1) * columns)])
    }

    /// The transpose (columns x rows). O(rows * columns).
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for r in 0..<rows {
                    for c in 0..<columns {
                        target[c * rows + r] = source[r * columns + c]
                    }
                }
            }
        }
        return result
    }

    /// True when every element is finite (no NaN, no infinity).
    public var isFinite: Bool { values.allSatisfy { $0.isFinite } }
}
