import Foundation
import Testing
import VaneGraph
import VaneIO

@Suite("Relations and node attributes")
struct RelationAndAttributeTests {
    let text = "a\tb\tbought_together\na\tc\talso_viewed\nb\tc\tbought_together\nb\tc\talso_viewed\n"

    @Test func relationsFilterKeepsOnlyTheNamedOnes() throws {
        let (graph, report) = try EdgeListLoader(relations: ["bought_together"], recordsEdgeRelations: true).load(TextFile(path: "r.tsv", text: text))
        #expect(graph.edgeCount == 2)
        #expect(report.relationFiltered == 2)
        #expect(report.relationCounts == ["bought_together": 2])
        let a = try #require(graph.id(of: "a")), b = try #require(graph.id(of: "b"))
        #expect(report.edgeRelations[.init(source: a, target: b)] == "bought_together")
        // Node c is only reached through kept edges: b -> c (bought_together) survives.
        #expect(graph.id(of: "c") != nil)
    }

    @Test func unknownRelationListsTheFilesRelations() {
        do {
            _ = try EdgeListLoader(relations: ["bought_togethr"]).load(TextFile(path: "r.tsv", text: text))
            Issue.record("an unknown relation must be refused")
        } catch let error as GraphError {
            #expect(error.message.contains("bought_togethr") && error.message.contains("also_viewed, bought_together"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func edgeFilterKeepsOneRelationAndNamesTheFilesOnes() throws {
        let (graph, report) = try EdgeListLoader(recordsEdgeRelations: true).load(TextFile(path: "r.tsv", text: text))
        let keep = try report.edgeFilter(relation: "also_viewed")
        let kept = graph.edges.filter(keep).map { "\(graph.nodeNames[Int($0.source)])\(graph.nodeNames[Int($0.target)])" }
        // b -> c appears under both relations; the first line wins (repeats are dropped).
        #expect(Set(kept) == ["ac"])
        #expect(throws: GraphError(.invalidConfiguration, "no kept edge has relation \"viewed\"; kept relations: also_viewed, bought_together",
                                   field: "relation")) { _ = try report.edgeFilter(relation: "viewed") }
    }

    @Test func attributeTableReadsHeaderTitlesAndRefusesRepeats() throws {
        let file = TextFile(path: "n.tsv", text: "# id\tgroup\ttitle\tsalesrank  (a comment)\nm1\tBook\tThe Book\t12\nm2\tDVD\t\t3\n")
        let table = try NodeAttributeTable(file)
        #expect(table.columns == ["group", "title", "salesrank"])
        #expect(table.label(of: "m1") == "The Book")
        #expect(table.label(of: "m2") == "DVD")            // no title: the first attribute
        #expect(table.label(of: "m9") == nil)
        #expect(table.attributes(of: "m1") == ["group": "Book", "title": "The Book", "salesrank": "12"])
        #expect(throws: InputError.self) { try NodeAttributeTable(TextFile(path: "n.tsv", text: "m1\tx\nm1\ty\n")) }
        #expect(throws: InputError.self) { try NodeAttributeTable(TextFile(path: "n.tsv", text: "m1\n")) }
    }

    @Test(.enabled(if: sharedDataPath("amazon-meta-similar-50k.nodes.tsv.gz") != nil, "needs ../shared/data/amazon-meta-similar-50k.nodes.tsv.gz"))
    func amazonTitles() throws {
        let table = try NodeAttributeTable(path: sharedDataPath("amazon-meta-similar-50k.nodes.tsv.gz")!)
        #expect(table.columns.prefix(2) == ["group", "title"])
        #expect(table.label(of: "m42") == "Pixote")
    }
}
