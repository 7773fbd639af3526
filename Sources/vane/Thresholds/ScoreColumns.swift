import ArgumentParser
import VaneTabular

/// Reads (label, score, uncertainty) columns of a CSV as `ScoredExamples`.
struct ScoreColumns: ParsableArguments {
    @Option(name: .customLong("label-column"), help: "Column holding the 0/1 label (fit only).")
    var labelColumn = "label"

    @Option(name: .customLong("score-column"), help: "Column holding the model score.")
    var scoreColumn = "score"

    @Option(name: .customLong("uncertainty-column"), help: "Column holding the score's uncertainty (any finite monotone measure: higher means less certain).")
    var uncertaintyColumn = "uncertainty"

    func numbers(_ table: Table, _ column: String) throws -> [Double] {
        guard case .numeric(let values) = table.columns[try table.columnIndex(named: column)] else {
            throw ValidationError("\(table.source): column \"\(column)\" must be numeric")
        }
        if let bad = values.firstIndex(where: { $0.isNaN }) {
            throw ValidationError("\(table.source):\(table.line(ofRow: bad).map(String.init) ?? "?"): column \"\(column)\" is missing a value")
        }
        return values
    }
}
