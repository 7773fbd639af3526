import Foundation

/// Small self-contained SVG charts (no scripts, no fonts, no network) for reports and files a person
/// opens in a browser. Each function returns one `<svg>` element as text.
public enum SVGChart {
    /// Escapes text for XML content and attributes.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]

    /// Grouped bars: one group per category, one bar per series; values are clamped to [0, maximum]
    /// and a value that is not finite draws an empty bar labelled n/a.
    public static func groupedBars(categories: [String], series: [(name: String, values: [Double])], maximum: Double, title: String) -> String {
        let maximum = maximum > 0 && maximum.isFinite ? maximum : 1
        let width = 560.0, height = 260.0, left = 44.0, bottom = 40.0, top = 28.0
        let plotWidth = width - left - 12, plotHeight = height - top - bottom
        let groupWidth = plotWidth / Double(max(1, categories.count))
        let barWidth = groupWidth * 0.8 / Double(max(1, series.count))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\"><title>\(escape(title))</title>"
        svg += "<text x=\"\(left)\" y=\"16\" font-size=\"13\">\(escape(title))</text>"
        for tick in 0...4 {
            let value = maximum * Double(tick) / 4, y = top + plotHeight * (1 - Double(tick) / 4)
            svg += "<line x1=\"\(left)\" x2=\"\(width - 12)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#ddd\"/><text x=\"4\" y=\"\(y + 4)\" font-size=\"10\">\(String(format: "%.2f", value))</text>"
        }
        for (g, category) in categories.enumerated() {
            let x0 = left + Double(g) * groupWidth + groupWidth * 0.1
            for (k, entry) in series.enumerated() {
                let raw = entry.values[g]
                let value = raw.isFinite ? min(max(raw, 0), maximum) : 0
                let barHeight = plotHeight * value / maximum
                let label = raw.isFinite ? String(format: "%.3f", raw) : "n/a"
                svg += "<rect x=\"\(x0 + Double(k) * barWidth)\" y=\"\(top + plotHeight - barHeight)\" width=\"\(barWidth - 2)\" height=\"\(barHeight)\" fill=\"\(palette[k % palette.count])\"><title>\(escape(entry.name)) \(escape(category)): \(label)</title></rect>"
            }
            svg += "<text x=\"\(x0 + groupWidth * 0.4)\" y=\"\(height - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(escape(category))</text>"
        }
        for (k, entry) in series.enumerated() {
            svg += "<rect x=\"\(left + Double(k) * 110)\" y=\"\(height - 14)\" width=\"10\" height=\"10\" fill=\"\(palette[k % palette.count])\"/><text x=\"\(left + Double(k) * 110 + 14)\" y=\"\(height - 5)\" font-size=\"11\">\(escape(entry.name))</text>"
        }
        return svg + "</svg>"
    }

    /// Line plot of (x, y) series on [0, 1] x [0, 1], e.g. precision-recall curves.
    public static func lines(_ series: [(name: String, points: [(Double, Double)])], xLabel: String, yLabel: String, title: String) -> String {
        let width = 420.0, height = 320.0, left = 46.0, bottom = 44.0, top = 28.0
        let plotWidth = width - left - 16, plotHeight = height - top - bottom
        func x(_ v: Double) -> Double { left + plotWidth * min(max(v, 0), 1) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - min(max(v, 0), 1)) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\"><title>\(escape(title))</title>"
        svg += "<text x=\"\(left)\" y=\"16\" font-size=\"13\">\(escape(title))</text>"
        for tick in 0...4 {
            let v = Double(tick) / 4
            svg += "<line x1=\"\(x(0))\" x2=\"\(x(1))\" y1=\"\(y(v))\" y2=\"\(y(v))\" stroke=\"#eee\"/><text x=\"\(left - 4)\" y=\"\(y(v) + 4)\" font-size=\"10\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>"
            svg += "<text x=\"\(x(v))\" y=\"\(height - bottom + 14)\" font-size=\"10\" text-anchor=\"middle\">\(String(format: "%.2f", v))</text>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - bottom + 30)\" font-size=\"11\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        svg += "<text x=\"12\" y=\"\(top + plotHeight / 2)\" font-size=\"11\" transform=\"rotate(-90 12 \(top + plotHeight / 2))\" text-anchor=\"middle\">\(escape(yLabel))</text>"
        for (k, entry) in series.enumerated() {
            let path = entry.points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(palette[k % palette.count])\" stroke-width=\"1.6\" points=\"\(path)\"/>"
            svg += "<text x=\"\(width - 150)\" y=\"\(top + 14 + Double(k) * 14)\" font-size=\"11\" fill=\"\(palette[k % palette.count])\">\(escape(entry.name))</text>"
        }
        return svg + "</svg>"
    }

    /// A heat map of cells (rows = uncertainty bins, columns = score bins) with values in [0, 1];
    /// cells marked `accepted` get a thick red outline (the decision region), explained by `caption`.
    public static func heatMap(values: [[Double?]], accepted: [[Bool]], rowLabels: [String], columnLabels: [String], title: String,
                               caption: String = "score decile (left = low) → ; red outline: accepted") -> String {
        let cell = 34.0, left = 120.0, top = 30.0
        let width = left + cell * Double(columnLabels.count) + 20, height = top + cell * Double(rowLabels.count) + 60
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\"><title>\(escape(title))</title>"
        svg += "<text x=\"4\" y=\"16\" font-size=\"13\">\(escape(title))</text>"
        for (r, row) in values.enumerated() {
            svg += "<text x=\"4\" y=\"\(top + cell * Double(r) + cell / 2 + 4)\" font-size=\"10\">\(escape(rowLabels[r]))</text>"
            for (k, value) in row.enumerated() {
                let x = left + cell * Double(k), y = top + cell * Double(r)
                let shade = value.map { Int(255 * (1 - min(max($0, 0), 1))) } ?? 240
                let fill = value == nil ? "#f4f4f4" : "rgb(\(shade),\(shade),255)"
                let stroke = accepted[r][k] ? "stroke=\"#d62728\" stroke-width=\"3\"" : "stroke=\"#fff\""
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(fill)\" \(stroke)><title>\(value.map { String(format: "positive rate %.3f", $0) } ?? "no examples")</title></rect>"
                // Light text on dark cells so the value stays readable.
                if let value { svg += "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 3)\" font-size=\"8\" text-anchor=\"middle\" fill=\"\(value > 0.55 ? "#fff" : "#000")\">\(String(format: "%.2f", value))</text>" }
            }
        }
        for (k, label) in columnLabels.enumerated() where k % 2 == 0 {
            svg += "<text x=\"\(left + cell * Double(k) + cell / 2)\" y=\"\(top + cell * Double(rowLabels.count) + 14)\" font-size=\"9\" text-anchor=\"middle\">\(escape(label))</text>"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 14)\" font-size=\"11\">\(escape(caption))</text>"
        return svg + "</svg>"
    }
}
