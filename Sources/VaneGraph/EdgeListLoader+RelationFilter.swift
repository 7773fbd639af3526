extension EdgeListLoader.Report {
    /// A predicate that keeps the edges of `relation` (the third column), e.g. to rank only the
    /// `bought_together` test edges of a graph trained on every relation. Needs a report loaded with
    /// `recordsEdgeRelations`; throws `invalidConfiguration` naming the relations the
    /// file has when no kept edge carries `relation`. O(1) per call (a dictionary lookup).
    public func edgeFilter(relation: String) throws(GraphError) -> @Sendable (DirectedGraph.Edge) -> Bool {
        guard relationCounts[relation] != nil else {
            throw GraphError(.invalidConfiguration,
                             "no kept edge has relation \"\(relation)\"; kept relations: \(relationCounts.keys.sorted().joined(separator: ", "))",
                             field: "relation")
        }
        let relations = edgeRelations
        return { relations[$0] == relation }
    }
}
