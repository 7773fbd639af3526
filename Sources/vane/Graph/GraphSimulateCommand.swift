import ArgumentParser
import Foundation
import VaneGraph

/// `vane graph simulate`: a seeded directed item graph with categories, complements and communities.
struct GraphSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a seeded directed item graph to check related-item methods on a graph nobody tuned them to.",
        discussion: """
        Items have a category, a community (brand, topic), an activity and an attractiveness (power \
        laws); categories complement later categories in one direction only ("phones -> cases"); each \
        edge goes to a complement category or the source's own, mostly inside the source's community, \
        to an item drawn by attractiveness; some edges are noise; a share is reciprocated so that the \
        reciprocity comes out as asked. The whole story is on CatalogueGraphSimulator.

        The edge file has `source<TAB>target<TAB>relation` lines (relation: complement between \
        categories, similar within one); --nodes-out writes each item's category and community in \
        the format `--nodes` reads.

        Example (a sparse, a medium and a dense graph, then the SPEC protocol on one):
          vane graph simulate --out sparse.tsv --nodes 2000 --edges-per-node 1.5 --reciprocity 0
          vane graph simulate --out medium.tsv --nodes 10000 --edges-per-node 5 --reciprocity 0.3
          vane graph simulate --out dense.tsv --nodes 3000 --edges-per-node 25 --reciprocity 0.6
          vane graph evaluate --edges medium.tsv --seeds 1,2,3 --methods p3,ease,lightgcn,vane
        """
    )

    @Option(help: "Output edge list (TSV: source, target, relation).")
    var out: String

    @Option(name: .customLong("nodes-out"), help: "Also write each item's category and community here (TSV, `--nodes` format).")
    var nodesOut: String?

    @Option(help: "Items.")
    var nodes = 5_000

    @Option(name: .customLong("edges-per-node"), help: "Edges per item (the graph has about nodes x this many).")
    var edgesPerNode = 5.0

    @Option(help: "Share of edges whose reverse is also an edge, in [0, 0.95].")
    var reciprocity = 0.2

    @Option(help: "Categories (default: max(2, round(sqrt(nodes) / 2))).")
    var categories: Int?

    @Option(help: "Communities (brands, topics) shared across categories.")
    var communities = 20

    @Option(help: "Complement categories each category points to.")
    var complements = 3

    @Option(name: .customLong("complement-share"), help: "Probability that an edge goes to a complement category, in [0, 1].")
    var complementShare = 0.5

    @Option(name: .customLong("community-affinity"), help: "Probability that an edge stays in its source's community, in [0, 1].")
    var communityAffinity = 0.6

    @Option(help: "Share of edges drawn without regard to categories and communities, in [0, 1].")
    var noise = 0.05

    @Option(name: .customLong("degree-exponent"), help: "Power-law exponent of activities and attractivenesses, in (2, 10].")
    var degreeExponent = 2.5

    @Option(name: .customLong("age-order"), help: "Probability that an edge must point to an older item (citation-like), in [0, 1].")
    var ageOrder = 0.0

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        var configuration = CatalogueGraphSimulator.Configuration()
        configuration.nodes = nodes
        configuration.edgesPerNode = edgesPerNode
        configuration.reciprocity = reciprocity
        configuration.categories = categories
        configuration.communities = communities
        configuration.complementsPerCategory = complements
        configuration.complementShare = complementShare
        configuration.communityAffinity = communityAffinity
        configuration.noise = noise
        configuration.degreeExponent = degreeExponent
        configuration.ageOrder = ageOrder
        let simulator: CatalogueGraphSimulator
        do { simulator = try CatalogueGraphSimulator(configuration: configuration) } catch {
            throw ValidationError(error.message, field: error.field, flags: [
                "nodes": "--nodes", "edgesPerNode": "--edges-per-node", "reciprocity": "--reciprocity", "categories": "--categories",
                "communities": "--communities", "complementsPerCategory": "--complements", "complementShare": "--complement-share",
                "communityAffinity": "--community-affinity", "noise": "--noise", "degreeExponent": "--degree-exponent", "ageOrder": "--age-order",
            ])
        }
        try OutputLocation.file(out, option: "--out")
        if let nodesOut { try OutputLocation.file(nodesOut, option: "--nodes-out") }
        let simulated = simulator.generate(seed: seed)
        let graph = simulated.graph
        try simulated.write(edgesTo: out, nodesTo: nodesOut,
                            comment: "vane graph simulate --nodes \(nodes) --edges-per-node \(edgesPerNode) --reciprocity \(reciprocity) --seed \(seed)")
        let statistics = GraphStatistics(graph: graph)
        print("wrote \(out): \(graph.nodeCount) nodes, \(graph.edgeCount) edges, reciprocity \(String(format: "%.3f", statistics.reciprocity)), "
              + "\(configuration.resolvedCategories) categories, \(communities) communities (seed \(seed))")
    }
}
