import Foundation

/// Random initialisers. Every one takes an explicit generator: same seed, same bits.
extension Matrix {
    /// Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), fanIn = rows,
    /// fanOut = columns (Glorot & Bengio, AISTATS 2010). Suits a weight used as `x (n x rows) * W`.
    public static func xavierUniform(rows: Int, columns: Int,
                                     using generator: inout SeededGenerator) -> Matrix {
        let bound = Float((6.0 / Double(max(1, rows + columns))).squareRoot())
        return uniform(rows: rows, columns: columns, in: -bound...bound, using: &generator)
    }

    /// Elements drawn i.i.d. from U(range).
    public static func uniform(rows: Int, columns: Int, in range: ClosedRange<Float>,
                               using generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        let width = range.upperBound - range.lowerBound
        for i in 0..<result.count {
            result.values[i] = range.lowerBound + width * generator.nextUnitFloat()
        }
        return result
    }

    /// Elements drawn i.i.d. from N(mean, standardDeviation^2).
    public static func normal(rows: Int, columns: Int, mean: Float = 0, standardDeviation: Float,
                              using generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        for i in 0..<result.count {
            result.values[i] = mean + standardDeviation * Float(generator.nextGaussian())
        }
        return result
    }
}
