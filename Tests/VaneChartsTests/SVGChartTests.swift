import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VaneCharts

/// Parses `svg` as XML; returns the parser's error, nil when well formed.
private func xmlError(_ svg: String) -> Error? {
    let parser = XMLParser(data: Data(svg.utf8))
    return parser.parse() ? nil : (parser.parserError ?? CocoaError(.coderReadCorrupt))
}

@Suite("SVG charts")
struct SVGChartTests {
    @Test func escapeCoversContentAndAttributeCharacters() {
        #expect(SVGChart.escape("a < b & c > \"d\" 'e'") == "a &lt; b &amp; c &gt; &quot;d&quot; &#39;e&#39;")
    }

    @Test func chartsAreWellFormedXMLWithHostileLabels() {
        let name = "<script>\"x\" & 'y'</script>"
        let bars = SVGChart.groupedBars(categories: [name, "b"], series: [(name, [0.2, 0.9]), ("other", [1.5, -1])], maximum: 1, title: name)
        let lines = SVGChart.lines([(name, [(0, 0), (0.5, 0.7), (1, 1)])], xLabel: name, yLabel: "y", title: name)
        let map = SVGChart.heatMap(values: [[0.1, nil], [0.9, 0.4]], accepted: [[false, true], [true, false]],
                                   rowLabels: [name, "r2"], columnLabels: ["c1", "c2"], title: name)
        for svg in [bars, lines, map] {
            #expect(xmlError(svg) == nil)
            #expect(!svg.contains("<script>"))
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        }
    }

    @Test func barsClampToTheAxisAndDrawNonFiniteValuesAsEmpty() {
        let svg = SVGChart.groupedBars(categories: ["a", "b", "c"], series: [("s", [2, -1, .nan])], maximum: 1, title: "t")
        #expect(xmlError(svg) == nil)
        #expect(!svg.lowercased().contains("nan"))
        // Plot height 192 (260 - 28 - 40): the clamped bar is full height, the negative and NaN ones empty.
        #expect(svg.contains("height=\"192.0\""))
        #expect(svg.components(separatedBy: "height=\"0.0\"").count - 1 == 2)
        #expect(svg.contains("s c: n/a"))
    }

    @Test func heatMapOutlinesAcceptedCellsOnly() {
        let svg = SVGChart.heatMap(values: [[0.2, 0.8]], accepted: [[false, true]], rowLabels: ["low"], columnLabels: ["1", "2"], title: "t")
        #expect(svg.components(separatedBy: "stroke=\"#d62728\"").count - 1 == 1)
        #expect(svg.contains("positive rate 0.800"))
    }
}
