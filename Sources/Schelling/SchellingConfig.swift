import SimCore

// The parameters of a Schelling run and the two random sources (Mesa-exact and fast).
/// The parameters of one Schelling run (Mesa 3.x semantics).
public struct SchellingConfig: Sendable, Equatable, Codable {
    /// Grid size; cells are (x, y) with x in 0..<width, y in 0..<height. No wrap-around.
    public var width: Int
    public var height: Int
    /// Chance that a cell gets an agent at the start.
    public var density: Double
    /// Chance that a new agent has type 1 (Mesa's `minority_pc`).
    public var minority: Double
    /// A FRACTION (Mesa 3.x): happy iff similar/occupied neighbours >= homophily.
    /// (Mesa's example default is 0.4; the benchmark uses 3/8.)
    public var homophily: Double
    /// Moore neighbourhood radius (Chebyshev distance, the cell itself excluded).
    public var radius: Int
    /// Number of steps `run()` performs (the benchmark's fixed step count).
    public var steps: Int
    /// Random picks of an empty cell before falling back to the list of empties:
    /// 50 in Mesa ≥ 3.4 (rule M3); `nil` retries forever (Mesa 3.0–3.3).
    public var emptyCellTries: Int?

    public init(
        width: Int, height: Int, density: Double = 0.8, minority: Double = 0.5,
        homophily: Double = 0.375, radius: Int = 1, steps: Int = 100, emptyCellTries: Int? = 50
    ) {
        precondition(width >= 1 && height >= 1, "grid must be at least 1x1")
        precondition(radius >= 1, "radius must be >= 1")
        precondition(emptyCellTries.map { $0 >= 0 } ?? true, "emptyCellTries must be >= 0")
        self.width = width
        self.height = height
        self.density = density
        self.minority = minority
        self.homophily = homophily
        self.radius = radius
        self.steps = steps
        self.emptyCellTries = emptyCellTries
    }

    /// The benchmark's small configuration: 100x100, 100 steps.
    public static let small = SchellingConfig(width: 100, height: 100, steps: 100)
    /// The benchmark's large configuration: 300x300, 20 steps.
    public static let large = SchellingConfig(width: 300, height: 300, steps: 20)

    /// Number of cells.
    public var cellCount: Int { width * height }
}

/// Which random stream drives the model. Both follow the same rules and draw in the
/// same order; only the generator differs.
public enum SchellingRandomMode: String, Sendable, CaseIterable, Codable {
    /// The engine's `RandomStream` (GSL taus2). Statistically equivalent to Mesa, not
    /// draw-for-draw identical.
    case fast
    /// CPython's `random.Random(seed)` (MT19937 + init_by_array, `random()`, `_randbelow`,
    /// `shuffle`): reproduces Mesa's happy counts exactly for the same seed.
    case exact
}

/// What the model needs from a random stream: `random()` and `_randbelow(n)`.
@usableFromInline protocol SchellingRandomSource: AnyObject {
    /// Uniform on [0, 1).
    func unit() -> Double
    /// Uniform integer in 0..<n, n ≥ 1.
    func below(_ n: Int) -> Int
}

extension PythonRandom: SchellingRandomSource {
    @inlinable @inline(__always) func unit() -> Double { random() }
    @inlinable @inline(__always) func below(_ n: Int) -> Int { randbelow(n) }
}

extension RandomStream: SchellingRandomSource {
    @inlinable @inline(__always) func unit() -> Double { uniform() }
    /// Uniform in 0..<n (1 ≤ n < 2³²) from the raw 32-bit output, by Lemire's multiply-shift
    /// with rejection ("Fast random integer generation in an interval", 2019): exactly uniform,
    /// and a division only in the rare rejection case. `int(below:)` (gsl_rng_uniform_int)
    /// needs two 64-bit divisions per draw, which cost about a third of the fast step.
    @inlinable @inline(__always) func below(_ n: Int) -> Int {
        let bound = UInt32(truncatingIfNeeded: n)
        var m = UInt64(bits32()) &* UInt64(bound)
        if UInt32(truncatingIfNeeded: m) < bound {
            let threshold = (0 &- bound) % bound  // 2^32 mod n
            while UInt32(truncatingIfNeeded: m) < threshold {
                m = UInt64(bits32()) &* UInt64(bound)
            }
        }
        return Int(truncatingIfNeeded: m >> 32)
    }
}
