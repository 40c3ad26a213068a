import SimCore
import SimConfig
/// The sample plan of a Morris elementary-effects screening (Morris 1991, with the
/// trajectory construction of Campolongo, Cariboni & Saltelli 2007 without their selection
/// of spread-out trajectories).
///
/// Each unit coordinate takes one of `levels` (p, even, ≥ 2) values 0, 1/(p−1), …, 1 and
/// moves by Δ = p / (2(p − 1)). A trajectory has k + 1 rows: a base point whose coordinates
/// are drawn uniformly from the levels ≤ 1 − Δ, then one parameter at a time (in a random
/// order) moved by +Δ or −Δ (a random direction per parameter: with −Δ the base coordinate
/// starts at its level + Δ). All draws come from one `RandomStream` seeded with
/// `Seeds.purpose("morris.plan", replicationSeed: seed)`. `samples` holds the r·(k + 1)
/// rows, trajectory after trajectory, mapped to parameter units with
/// `ParameterRange.scaled(_:)` (u = 1 is the range's upper end, and a list or lattice
/// stays on its values). Evaluate the model on every row, in order, and pass the outputs
/// to `morrisIndices`.
public struct MorrisPlan: Sendable {
    /// The parameters, one per column.
    public let parameters: [ParameterRange]
    /// Number of trajectories r.
    public let trajectories: Int
    /// Number of grid levels p.
    public let levels: Int
    /// The step Δ in unit coordinates, p / (2(p − 1)).
    public let delta: Double
    /// The r·(k + 1) rows, in parameter units.
    public let samples: [[Double]]
    /// For trajectory t and step j (0..<k): the parameter moved between rows j and j + 1 and
    /// the signed step (+Δ or −Δ) in unit coordinates.
    public let steps: [[(parameter: Int, delta: Double)]]

    /// A plan of `trajectories` (≥ 2) trajectories over 1…1000 parameters on an even number
    /// of `levels` (2…100).
    public init(parameters: [ParameterRange], trajectories r: Int, levels p: Int, seed: UInt64) throws {
        let k = parameters.count
        guard k >= 1 else { throw ExperimentError("morris: no parameters to vary (expected at least one --param path=...)") }
        guard k <= 1000 else { throw ExperimentError("morris: at most 1000 parameters are supported, got \(k)") }
        guard r >= 2 else { throw ExperimentError("morris: at least 2 trajectories are needed (--samples), got \(r)") }
        guard p >= 2, p <= 100, p % 2 == 0 else {
            throw ExperimentError("morris: --levels must be an even number in 2…100 (so that Δ = p/(2(p−1)) lands on a level), got \(p)")
        }
        let delta = Double(p) / (2 * Double(p - 1))
        // Levels a base coordinate may take: those ≤ 1 − Δ, i.e. indices 0..<p/2.
        let baseLevels = p / 2
        let rng = RandomStream(seed: Seeds.purpose("morris.plan", replicationSeed: seed))
        var unit = [[Double]]()
        unit.reserveCapacity(r * (k + 1))
        var steps = [[(parameter: Int, delta: Double)]]()
        for _ in 0..<r {
            var order = Array(0..<k)
            rng.shuffle(&order)
            var x = [Double](repeating: 0, count: k)
            var sign = [Double](repeating: 1, count: k)
            for i in 0..<k {
                let level = Double(rng.int(below: baseLevels)) / Double(p - 1)
                sign[i] = rng.uniform() < 0.5 ? 1 : -1
                x[i] = sign[i] > 0 ? level : min(level + delta, 1)
            }
            unit.append(x)
            var trajectory = [(parameter: Int, delta: Double)]()
            for i in order {
                x[i] = min(max(x[i] + sign[i] * delta, 0), 1)
                unit.append(x)
                trajectory.append((i, sign[i] * delta))
            }
            steps.append(trajectory)
        }
        self.parameters = parameters
        trajectories = r
        levels = p
        self.delta = delta
        self.steps = steps
        samples = unit.map { u in (0..<k).map { parameters[$0].scaled(min(u[$0], 1.0.nextDown)) } }
    }
}

/// Morris screening measures of one parameter: μ (mean elementary effect), μ* (mean absolute
/// effect, the ranking measure) and σ (standard deviation of the effects: non-linearity or
/// interactions), with percentile bootstrap intervals for μ* and σ.
public struct MorrisIndices: Sendable {
    public let parameter: String
    public let mu: Double
    public let muStar: Double
    public let muStarLo: Double
    public let muStarHi: Double
    public let sigma: Double
    public let sigmaLo: Double
    public let sigmaHi: Double
    /// Trajectories whose effect could be measured (both outputs finite).
    public let n: Int
    /// Why the measures are missing, when they are; else nil.
    public let note: String?
}

/// Morris measures from the model outputs `y` on `plan.samples` (same order, r·(k + 1) values).
///
/// Trajectory t gives one elementary effect per parameter i, EE = (y_{j+1} − y_j) / Δ_j with
/// Δ_j the signed unit step that moved i (so effects are per whole unit range, comparable
/// across parameters). μ is the mean of the effects, μ* the mean of their absolute values,
/// σ their sample standard deviation (GSL). An effect with a non-finite output is left out
/// (`n` counts those kept). Intervals are percentile bootstrap intervals at `confidence`:
/// `bootstrap` resamples of the trajectories with replacement (the same for every parameter),
/// from a `RandomStream` seeded with `Seeds.purpose("morris.bootstrap", replicationSeed: seed)`;
/// with `bootstrap` 0 they collapse to the estimates.
public func morrisIndices(plan: MorrisPlan, outputs y: [Double], bootstrap: Int = 500, confidence: Double = 0.95, seed: UInt64) -> [MorrisIndices] {
    let k = plan.parameters.count, r = plan.trajectories
    precondition(y.count == r * (k + 1), "morrisIndices: \(y.count) outputs for a plan of \(r * (k + 1)) rows")
    // effects[i][t]: the effect of parameter i in trajectory t (NaN when not measured).
    var effects = [[Double]](repeating: [Double](repeating: .nan, count: r), count: k)
    for t in 0..<r {
        for (j, step) in plan.steps[t].enumerated() {
            let a = y[t * (k + 1) + j], b = y[t * (k + 1) + j + 1]
            if a.isFinite, b.isFinite { effects[step.parameter][t] = (b - a) / step.delta }
        }
    }
    func measures(_ ee: [Double]) -> (mu: Double, muStar: Double, sigma: Double) {
        let e = ee.filter { !$0.isNaN }
        guard !e.isEmpty else { return (.nan, .nan, .nan) }
        return (GSL.mean(e), GSL.mean(e.map(abs)), e.count > 1 ? GSL.sd(e) : .nan)
    }
    var muStarBoot = [[Double]](repeating: [], count: k), sigmaBoot = [[Double]](repeating: [], count: k)
    if bootstrap > 0 {
        let rng = RandomStream(seed: Seeds.purpose("morris.bootstrap", replicationSeed: seed))
        var index = [Int](repeating: 0, count: r)
        for _ in 0..<bootstrap {
            for t in 0..<r { index[t] = rng.int(below: r) }
            for i in 0..<k {
                let m = measures(index.map { effects[i][$0] })
                if !m.muStar.isNaN { muStarBoot[i].append(m.muStar) }
                if !m.sigma.isNaN { sigmaBoot[i].append(m.sigma) }
            }
        }
    }
    let lower = (1 - confidence) / 2, upper = (1 + confidence) / 2
    return (0..<k).map { i in
        let m = measures(effects[i])
        let n = effects[i].filter { !$0.isNaN }.count
        let (msLo, msHi) = interval(muStarBoot[i], m.muStar, lower, upper)
        let (sLo, sHi) = interval(sigmaBoot[i], m.sigma, lower, upper)
        return MorrisIndices(parameter: plan.parameters[i].name, mu: m.mu, muStar: m.muStar, muStarLo: msLo, muStarHi: msHi,
                             sigma: m.sigma, sigmaLo: sLo, sigmaHi: sHi, n: n,
                             note: n == 0 ? "no trajectory measured this output; the measures are undefined" : nil)
    }
}
