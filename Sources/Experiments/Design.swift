import SimCore
import SimConfig
/// How the points of an experimental design are chosen.
public enum DesignKind: String, CaseIterable, Sendable {
    /// Full factorial over each parameter's grid values (`ParameterRange.gridValues`).
    case grid
    /// Independent uniform points.
    case random
    /// Latin hypercube: `n` strata per dimension, one point in each stratum of each dimension.
    case lhs
    /// The first `n` points of the Sobol low-discrepancy sequence.
    case sobol
    /// Points read from a design file (`Design.read(_:registry:)`), not built by `make`.
    case file
}

/// The points of an experiment: each point is one value per parameter, in parameter units
/// and in the order of `parameters`.
///
/// Built by `make(kind:parameters:points:seed:)`, deterministic for a given seed:
/// - `grid`: the full factorial of each parameter's values — its explicit list, else its
///   lattice `lo, lo+step, … ≤ hi`, else `n` evenly spaced values including both ends
///   (n = 1 gives the midpoint). The first parameter varies slowest, the last fastest.
///   At most `maxGridPoints` points.
/// - `random`: `n` points, coordinates uniform on [0, 1) from one `RandomStream` seeded with
///   `Seeds.purpose("design.random", replicationSeed: seed)`, drawn point by point.
/// - `lhs`: a Latin hypercube from a stream seeded with `Seeds.purpose("design.lhs", …)`:
///   for each dimension a random permutation of the `n` strata (`RandomStream.shuffle`)
///   and a uniform position within each stratum, so every dimension has exactly one point
///   in each interval [j/n, (j+1)/n).
/// - `sobol`: the first `n` points of GSL's Sobol sequence in k dimensions (k ≤ 40), skipping
///   none. GSL's sequence never emits the origin: its first point is the centre (1/2, …, 1/2),
///   then (3/4, 1/4, …), (1/4, 3/4, …), …. The seed is unused (the design is deterministic).
///
/// For the sampled designs a unit coordinate u is mapped to parameter units by
/// `ParameterRange.scaled(_:)`: lo + u·(hi − lo) for a continuous range, and for a list or
/// lattice the value at index ⌊u·count⌋, so discrete parameters stay on their values.
public struct Design: Sendable {
    /// The largest number of points a grid design may have.
    public static let maxGridPoints = 10_000_000

    /// How the points were chosen.
    public let kind: DesignKind
    /// The swept parameters, one per coordinate of each point.
    public let parameters: [ParameterRange]
    /// The design points, in parameter units.
    public let points: [[Double]]

    /// Build a design of `kind` over `parameters`. `n` is the number of points of the
    /// sampled designs and the number of values of each continuous parameter in a grid.
    public static func make(kind: DesignKind, parameters: [ParameterRange], points n: Int, seed: UInt64) throws -> Design {
        guard !parameters.isEmpty else { throw ExperimentError("design: no parameters to vary (expected at least one --param path=...)") }
        var seen = Set<String>()
        for p in parameters where !seen.insert(p.name).inserted {
            throw ExperimentError("design: parameter '\(p.name)' is given more than once (expected each path once)")
        }
        let k = parameters.count
        let points: [[Double]]
        switch kind {
        case .grid:
            if n < 1, parameters.contains(where: { $0.discreteValues == nil }) {
                throw ExperimentError("design: grid needs points ≥ 1 for the continuous parameters, got \(n)")
            }
            let axes = parameters.map { $0.gridValues(count: max(n, 1)) }
            var total = 1
            for a in axes {
                let (product, overflow) = total.multipliedReportingOverflow(by: a.count)
                guard !overflow, product <= maxGridPoints else {
                    throw ExperimentError("design: the grid has more than \(maxGridPoints) points (\(axes.map { String($0.count) }.joined(separator: " × "))); use fewer values or a sampled design")
                }
                total = product
            }
            var result = [[Double]]()
            result.reserveCapacity(total)
            var index = [Int](repeating: 0, count: k)
            for _ in 0..<total {
                result.append((0..<k).map { axes[$0][index[$0]] })
                // Odometer: the last parameter varies fastest.
                var d = k - 1
                while d >= 0 {
                    index[d] += 1
                    if index[d] < axes[d].count { break }
                    index[d] = 0
                    d -= 1
                }
            }
            points = result
        case .random:
            try checkCount(n, kind)
            let rng = RandomStream(seed: Seeds.purpose("design.random", replicationSeed: seed))
            points = (0..<n).map { _ in parameters.map { $0.scaled(rng.uniform()) } }
        case .lhs:
            try checkCount(n, kind)
            let rng = RandomStream(seed: Seeds.purpose("design.lhs", replicationSeed: seed))
            var unit = [[Double]](repeating: [Double](repeating: 0, count: k), count: n)
            for j in 0..<k {
                var strata = Array(0..<n)
                rng.shuffle(&strata)
                for i in 0..<n {
                    unit[i][j] = min((Double(strata[i]) + rng.uniform()) / Double(n), 1.0.nextDown)
                }
            }
            points = unit.map { u in (0..<k).map { parameters[$0].scaled(u[$0]) } }
        case .file:
            throw ExperimentError("design: a file design is read from its file (--design-file), not built")
        case .sobol:
            try checkCount(n, kind)
            guard let sequence = SobolSequence(dimensions: k) else {
                throw ExperimentError("design: sobol supports 1 to 40 parameters, got \(k)")
            }
            points = (0..<n).map { _ in
                let u = sequence.next()
                return (0..<k).map { parameters[$0].scaled(u[$0]) }
            }
        }
        return Design(kind: kind, parameters: parameters, points: points)
    }

    private static func checkCount(_ n: Int, _ kind: DesignKind) throws {
        guard n >= 1 else { throw ExperimentError("design: \(kind.rawValue) needs points ≥ 1, got \(n)") }
    }
}
