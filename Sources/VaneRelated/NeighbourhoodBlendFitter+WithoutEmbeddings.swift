import VaneTensor

extension NeighbourhoodBlendFitter.Design {
    /// The same design without its embedding blocks' columns: the same candidate rows and direction
    /// pairs, scored by walks, degrees and potentials alone (what the `walks` method's blend scores),
    /// so a search can ask whether the embeddings earn their place on exactly the rows it compared
    /// the other settings on. The candidates the blocks nominated stay (each stands for itself), so
    /// the sampled softmax stays unbiased. O(rows x width).
    public func withoutEmbeddings() -> Self {
        let dropped = blocks.count
        guard dropped > 0 else { return self }
        func keepingTail(_ matrix: Matrix) -> Matrix {
            let width = matrix.columns, kept = width - dropped
            var result = Matrix(rows: matrix.rows, columns: kept)
            for r in 0..<matrix.rows {
                for j in 0..<kept { result.values[r * kept + j] = matrix.values[r * width + dropped + j] }
            }
            return result
        }
        return Self(objectiveFeatures: keepingTail(objectiveFeatures), offsets: offsets, queryStarts: queryStarts,
                    pairs: keepingTail(pairs), scale: Array(scale.dropFirst(dropped)), blocks: [],
                    neighbourCap: neighbourCap, potentialRegularisation: potentialRegularisation)
    }
}
