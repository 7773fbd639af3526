import Foundation
import VaneTensor

/// Seeded directed item graphs with the structure related-item recommenders live on (categories that
/// complement each other in one direction, communities, popular hubs, reciprocal pairs), so a method can
/// be checked on graphs nobody tuned it to: `vane graph simulate`, `make results-unseen`.
///
/// The generative story (every number is a `Configuration` field):
/// - Each of N items has a category (K categories, Zipf(1) sizes), a community (brand or topic: G of
///   them, uniform, shared across categories), an activity a_i and an attractiveness b_i, both Pareto
///   with tail exponent gamma - 1 (so out- and in-degrees follow power laws of exponent about gamma,
///   independently), and an age: its index.
/// - Categories form a directed complement graph: category k points to `complementsPerCategory`
///   categories drawn uniformly among those after it (l > k), so "phones -> cases" exists and
///   "cases -> phones" does not; the last category points nowhere.
/// - E0 primary edges are drawn, each independently: a source u with probability proportional to a_u;
///   with probability `noise` the target is any item, drawn proportional to b; otherwise, with probability
///   `complementShare` (if u's category has complements) the target's category is one of them, uniformly,
///   else u's own category; within that category, with probability `communityAffinity` only items of u's
///   community are eligible (when there are any), else all of it; the target is drawn proportional to b
///   among the eligible. With probability `ageOrder` a target younger than u is redrawn (up to 8 times),
///   so edges point back in time as citations do. Self-loops and repeated edges are redrawn.
/// - Each primary edge u -> v is reciprocated (v -> u added) with probability q = rho / (2 - rho): the
///   rate at which the share of edges whose reverse is an edge comes out at `reciprocity` = rho. E0 =
///   N * edgesPerNode / (1 + q), so the graph has about N * edgesPerNode edges (fewer where a reverse
///   already existed).
///
/// Direction is learnable from the category order, from ages (when `ageOrder` > 0) and from in-degree;
/// neighbourhoods are informative through categories and communities; reciprocity and noise blur both.
/// O(E log N) time, O(N + E) memory.
public struct CatalogueGraphSimulator: Sendable {
    /// The knobs of the generative story; `validate()` checks them.
    public struct Configuration: Sendable, Equatable {
        /// Items N.
        public var nodes = 5_000
        /// Edges per item: E is about N times this.
        public var edgesPerNode = 5.0
        /// Share of edges whose reverse is also an edge, in [0, 0.95].
        public var reciprocity = 0.2
        /// Categories K; nil: max(2, round(sqrt(N) / 2)).
        public var categories: Int?
        /// Communities G (brands, topics), shared across categories.
        public var communities = 20
        /// Complement categories each category points to.
        public var complementsPerCategory = 3
        /// Probability that an edge goes to a complement category rather than the source's own.
        public var complementShare = 0.5
        /// Probability that an edge stays inside the source's community.
        public var communityAffinity = 0.6
        /// Share of edges whose target ignores categories and communities.
        public var noise = 0.05
        /// Degree exponent gamma of activities and attractivenesses (> 2).
        public var degreeExponent = 2.5
        /// Probability that an edge must point to an older item (citation-like order).
        public var ageOrder = 0.0

        public init() {}

        /// K as used: `categories`, or max(2, round(sqrt(N) / 2)).
        public var resolvedCategories: Int { categories ?? max(2, Int((Double(nodes).squareRoot() / 2).rounded())) }

        public func validate() throws(GraphError) {
            func check(_ condition: Bool, _ field: String, _ message: String) throws(GraphError) {
                if !condition { throw GraphError(.invalidConfiguration, "\(field) \(message)", field: field) }
            }
            try check(nodes >= 10 && nodes <= 50_000_000, "nodes", "must be in 10...50,000,000, got \(nodes)")
            try check(edgesPerNode.isFinite && edgesPerNode >= 0.5 && edgesPerNode <= 200, "edgesPerNode", "must be in [0.5, 200], got \(edgesPerNode)")
            try check(edgesPerNode <= Double(nodes - 1) / 4, "edgesPerNode", "must be at most (nodes - 1) / 4 = \((nodes - 1) / 4) so the graph stays sparse, got \(edgesPerNode)")
            try check(reciprocity.isFinite && reciprocity >= 0 && reciprocity <= 0.95, "reciprocity", "must be in [0, 0.95], got \(reciprocity)")
            let k = resolvedCategories
            try check(k >= 1 && k <= nodes, "categories", "must be in 1...nodes, got \(k)")
            try check(communities >= 1 && communities <= nodes, "communities", "must be in 1...nodes, got \(communities)")
            try check(k * communities <= 10_000_000, "communities", "times categories must be at most 10,000,000, got \(k * communities)")
            try check(complementsPerCategory >= 0 && complementsPerCategory <= 100, "complementsPerCategory", "must be in 0...100, got \(complementsPerCategory)")
            for (field, value) in [("complementShare", complementShare), ("communityAffinity", communityAffinity), ("noise", noise), ("ageOrder", ageOrder)] {
                try check(value.isFinite && value >= 0 && value <= 1, field, "must be in [0, 1], got \(value)")
            }
            try check(degreeExponent.isFinite && degreeExponent > 2 && degreeExponent <= 10, "degreeExponent", "must be in (2, 10], got \(degreeExponent)")
        }
    }

    /// A simulated graph and the latent labels that made it.
    public struct SimulatedGraph: Sendable {
        /// Items named n0, n1, ... (n0 the oldest).
        public let graph: DirectedGraph
        /// Category of each item, shape [N].
        public let categories: [Int32]
        /// Community of each item, shape [N].
        public let communities: [Int32]

        /// "complement" for an edge between categories, "similar" within one.
        public func relation(of edge: DirectedGraph.Edge) -> String {
            categories[Int(edge.source)] == categories[Int(edge.target)] ? "similar" : "complement"
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) throws(GraphError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Draws the graph for `seed` (same seed and configuration, same graph).
    public func generate(seed: UInt64) -> SimulatedGraph {
        let c = configuration
        let n = c.nodes, k = c.resolvedCategories, g = c.communities
        var generator = SeededGenerator(seed: seed)
        let tail = 1 / (c.degreeExponent - 1)
        func pareto() -> Double {
            var u = generator.nextUnitDouble()
            while u <= 1e-12 { u = generator.nextUnitDouble() }
            return min(pow(u, -tail), Double(n))  // capped at N: no single item can take every edge
        }
        /// A draw from `range` in proportion to the weights whose prefix sums are `prefix` (prefix[i + 1] -
        /// prefix[i] is item i's weight): the first i whose prefix sum reaches the drawn level.
        func draw(_ prefix: [Double], in range: Range<Int>) -> Int {
            let u = prefix[range.lowerBound] + generator.nextUnitDouble() * (prefix[range.upperBound] - prefix[range.lowerBound])
            var low = range.lowerBound, high = range.upperBound - 1
            while low < high { let middle = (low + high) / 2; if prefix[middle + 1] < u { low = middle + 1 } else { high = middle } }
            return low
        }
        // Latent labels: categories with Zipf(1) sizes.
        var categoryPrefix = [Double](repeating: 0, count: k + 1)
        for i in 0..<k { categoryPrefix[i + 1] = categoryPrefix[i] + 1 / Double(i + 1) }
        var categories = [Int32](repeating: 0, count: n), communities = [Int32](repeating: 0, count: n)
        var activity = [Double](repeating: 0, count: n), attractiveness = [Double](repeating: 0, count: n)
        for i in 0..<n {
            categories[i] = Int32(draw(categoryPrefix, in: 0..<k))
            communities[i] = Int32(generator.nextIndex(below: g))
            activity[i] = pareto()
            attractiveness[i] = pareto()
        }
        // Complement graph over categories: k -> some l > k.
        var complements = [[Int]](repeating: [], count: k)
        for category in 0..<k where category + 1 < k {
            var later = Array((category + 1)..<k)
            later.seededShuffle(using: &generator)
            complements[category] = Array(later.prefix(c.complementsPerCategory))
        }
        // Items sorted by (category, community) with prefix sums of attractiveness: a draw within any
        // category, or category and community, is a binary search in one range.
        let order = (0..<n).sorted { (Int(categories[$0]) * g + Int(communities[$0]), $0) < (Int(categories[$1]) * g + Int(communities[$1]), $1) }
        var prefix = [Double](repeating: 0, count: n + 1)
        for (position, item) in order.enumerated() { prefix[position + 1] = prefix[position] + attractiveness[item] }
        var groupStart = [Int](repeating: n, count: k * g + 1)
        for position in stride(from: n - 1, through: 0, by: -1) {
            let item = order[position]
            groupStart[Int(categories[item]) * g + Int(communities[item])] = position
        }
        for group in stride(from: k * g - 1, through: 0, by: -1) { groupStart[group] = min(groupStart[group], groupStart[group + 1]) }
        func drawTarget(in range: Range<Int>) -> Int { order[draw(prefix, in: range)] }
        var sourcePrefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { sourcePrefix[i + 1] = sourcePrefix[i] + activity[i] }
        func eligible(for source: Int) -> Range<Int> {
            if generator.nextUnitDouble() < c.noise { return 0..<n }
            var category = Int(categories[source])
            if !complements[category].isEmpty, generator.nextUnitDouble() < c.complementShare {
                category = complements[category][generator.nextIndex(below: complements[category].count)]
            }
            let whole = groupStart[category * g]..<groupStart[(category + 1) * g]
            if generator.nextUnitDouble() < c.communityAffinity {
                let group = category * g + Int(communities[source])
                let own = groupStart[group]..<groupStart[group + 1]
                if !own.isEmpty { return own }
            }
            return whole
        }

        let q = c.reciprocity / (2 - c.reciprocity)
        let primaryCount = Int((Double(n) * c.edgesPerNode / (1 + q)).rounded())
        var seen = Set<UInt64>(minimumCapacity: Int(Double(primaryCount) * (1 + q)) + 16)
        var primary: [(Int, Int)] = []
        primary.reserveCapacity(primaryCount)
        var attempts = 0
        let attemptLimit = 50 * primaryCount + 1_000  // a saturated configuration stops short instead of spinning
        while primary.count < primaryCount, attempts < attemptLimit {
            attempts += 1
            let source = draw(sourcePrefix, in: 0..<n)
            let range = eligible(for: source)
            guard !range.isEmpty else { continue }
            var target = drawTarget(in: range)
            if c.ageOrder > 0, generator.nextUnitDouble() < c.ageOrder {
                var tries = 0
                while target > source, tries < 8 { target = drawTarget(in: range); tries += 1 }
            }
            guard target != source, seen.insert(UInt64(source) << 32 | UInt64(target)).inserted else { continue }
            primary.append((source, target))
        }
        var edges = primary.map { DirectedGraph.Edge(source: Int32($0.0), target: Int32($0.1)) }
        for (source, target) in primary where generator.nextUnitDouble() < q {
            if seen.insert(UInt64(target) << 32 | UInt64(source)).inserted {
                edges.append(DirectedGraph.Edge(source: Int32(target), target: Int32(source)))
            }
        }
        let graph = DirectedGraph(nodeNames: (0..<n).map { "n\($0)" }, edges: edges)
        return SimulatedGraph(graph: graph, categories: categories, communities: communities)
    }
}
