import VaneGraph

/// A potential (a height) per node such that edges tend to point downhill: SpringRank (De Bacco,
/// Larremore & Moore 2018, "A physical model for efficiently ranking networks"):
///
///   phi = argmin  1/2 sum_{u -> v} (phi_u - phi_v - 1)^2 + alpha/2 sum_u phi_u^2,
///
/// the solution of (D_out + D_in + alpha I - A - A^T) phi = outdeg - indeg, found by conjugate gradient.
/// On a citation graph phi orders papers in time (the citing above the cited); on a co-purchase graph
/// it puts the main item above its accessories. phi_u - phi_v is antisymmetric, so it tells
/// u -> v from v -> u. Cost: `iterations` x O(nodes + edges).
public enum NodePotential {
    public static func springRank(_ graph: DirectedGraph, alpha: Double = defaultRegularisation, iterations: Int = 200, tolerance: Double = 1e-8) -> [Float] {
        let n = graph.nodeCount
        guard n > 0 else { return [] }
        var diagonal = [Double](repeating: alpha, count: n), b = [Double](repeating: 0, count: n)
        for u in 0..<n {
            let out = graph.outDegree(of: Int32(u)), into = graph.inDegree(of: Int32(u))
            diagonal[u] += Double(out + into)
            b[u] = Double(out - into)
        }
        func multiply(_ x: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: n)
            for u in 0..<n {
                var total = diagonal[u] * x[u]
                for v in graph.outNeighbours(of: Int32(u)) { total -= x[Int(v)] }
                for v in graph.inNeighbours(of: Int32(u)) { total -= x[Int(v)] }
                y[u] = total
            }
            return y
        }
        // Jacobi-preconditioned conjugate gradient from phi = 0; the matrix is symmetric positive definite.
        var x = [Double](repeating: 0, count: n)
        var r = b
        var z = (0..<n).map { r[$0] / diagonal[$0] }
        var p = z
        var rz = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
        let bNorm = max(1e-30, b.reduce(0) { $0 + $1 * $1 })
        for _ in 0..<iterations {
            guard rz.isFinite, r.reduce(0, { $0 + $1 * $1 }) > tolerance * tolerance * bNorm else { break }
            let q = multiply(p)
            let pq = zip(p, q).reduce(0) { $0 + $1.0 * $1.1 }
            guard pq > 0 else { break }
            let step = rz / pq
            for i in 0..<n {
                x[i] += step * p[i]
                r[i] -= step * q[i]
            }
            z = (0..<n).map { r[$0] / diagonal[$0] }
            let next = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
            let ratio = next / rz
            rz = next
            for i in 0..<n { p[i] = z[i] + ratio * p[i] }
        }
        return x.map { Float($0) }
    }
}
