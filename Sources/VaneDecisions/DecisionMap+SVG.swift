import Foundation
import VaneCharts

extension DecisionMap {
    /// The map as an SVG heat map: shade = observed positive rate, red outline = accepted cells.
    public func svg(title: String, policyName: String) -> String {
        let rows = positiveRates.count
        return SVGChart.heatMap(
            values: positiveRates, accepted: accepted,
            rowLabels: (0..<rows).map { $0 == 0 ? "least uncertain" : ($0 == rows - 1 ? "most uncertain" : "uncertainty \($0 + 1)") },
            columnLabels: (1...(positiveRates.first?.count ?? 1)).map { "s\($0)" },
            title: title, caption: "score bin (left = low) → ; red outline: accepted by \(policyName)")
    }
}

extension PremiseCurves {
    /// Positive rate against uncertainty quantile, one line per score band.
    public func svg(title: String) -> String {
        SVGChart.lines(bands.map { band in
            (String(format: "scores %.3f-%.3f", band.scoreRange.lowerBound, band.scoreRange.upperBound),
             band.points.map { ($0.quantile, $0.positiveRate) })
        }, xLabel: "uncertainty quantile within the score band (left = most certain)", yLabel: "observed positive rate", title: title)
    }
}
