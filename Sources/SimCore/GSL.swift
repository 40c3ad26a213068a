// The one file that calls the GNU Scientific Library. Every `gsl_*` call of the
// project goes through the small wrappers here, so the C surface stays in one place.
import _CGSL

/// Namespace for GSL's stateless functions: quantiles, CDFs and statistics.
public enum GSL {
    /// Switch GSL's abort-on-error handler off (idempotent). Errors come back as status codes.
    public static let setUp: Void = { pillars_gsl_quiet_errors() }()

    /// Quantile of Student's t distribution with `dof` degrees of freedom (`gsl_cdf_tdist_Pinv`).
    public static func tQuantile(_ p: Double, dof: Double) -> Double { gsl_cdf_tdist_Pinv(p, dof) }
    /// Quantile of the standard normal distribution (`gsl_cdf_ugaussian_Pinv`).
    public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
    /// Standard normal CDF (`gsl_cdf_ugaussian_P`).
    public static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }

    /// Mean of `xs` (`gsl_stats_mean`); NaN when empty.
    public static func mean(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return .nan }
        return xs.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
    }
    /// Sample standard deviation of `xs` (`gsl_stats_sd`); 0 for fewer than two values.
    public static func sd(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        return xs.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) }
    }
    /// Sample variance (`gsl_stats_variance`); 0 for fewer than two values.
    public static func variance(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        return xs.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, $0.count) }
    }
    /// Sort ascending in place (`gsl_sort`).
    public static func sort(_ xs: inout [Double]) {
        let n = xs.count
        xs.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, n) }
    }
    /// Quantile `q` ∈ [0,1] of already sorted data, linear interpolation (`gsl_stats_quantile_from_sorted_data`).
    public static func quantileSorted(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, q) }
    }
}

/// A seeded random stream backed by a GSL generator (taus2 by default: fast, small state,
/// maximally equidistributed). One stream belongs to one replication and one purpose.
/// Not thread-safe by design: a stream is never shared between threads.
public final class RandomStream {
    public enum Kind: Sendable { case taus2, mt19937 }
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let seed: UInt64

    public init(seed: UInt64, kind: Kind = .taus2) {
        _ = GSL.setUp
        let type: UnsafePointer<gsl_rng_type>
        switch kind {
        case .taus2: type = pillars_rng_taus2()
        case .mt19937: type = pillars_rng_mt19937()
        }
        guard let r = gsl_rng_alloc(type) else { fatalError("gsl_rng_alloc: out of memory") }
        rng = r
        self.seed = seed
        // GSL seeds with an unsigned long; fold the 64-bit seed so both halves count.
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed ^ (seed >> 32)))
    }
    deinit { gsl_rng_free(rng) }

    private init(cloning other: RandomStream) {
        guard let r = gsl_rng_clone(other.rng) else { fatalError("gsl_rng_clone: out of memory") }
        rng = r
        seed = other.seed
    }
    /// A new stream in this one's exact state (`gsl_rng_clone`): both give the same draws from here.
    public func copy() -> RandomStream { RandomStream(cloning: self) }
    /// Put this stream in `other`'s exact state (`gsl_rng_memcpy`; the same generator type).
    public func restore(from other: RandomStream) { _ = gsl_rng_memcpy(rng, other.rng) }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }
    /// Uniform on (0, 1).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    /// Uniform integer in 0..<n (n ≥ 1).
    @inlinable public func int(below n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }
    /// The generator's raw output (`gsl_rng_get`): 32 uniform bits for both kinds (taus2 and
    /// mt19937 span 0...0xFFFF_FFFF). For hot loops that map bits to integers themselves.
    @inlinable public func bits32() -> UInt32 { UInt32(truncatingIfNeeded: gsl_rng_get(rng)) }
    /// True with probability p.
    @inlinable public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(rng) < p }
    /// Poisson count with mean mu (`gsl_ran_poisson`).
    @inlinable public func poisson(_ mu: Double) -> Int { mu > 0 ? Int(gsl_ran_poisson(rng, mu)) : 0 }
    /// Binomial count (`gsl_ran_binomial`).
    @inlinable public func binomial(_ p: Double, _ n: Int) -> Int { n > 0 ? Int(gsl_ran_binomial(rng, p, UInt32(n))) : 0 }
    /// Normal with mean 0 and standard deviation sd (`gsl_ran_gaussian_ziggurat`).
    @inlinable public func gaussian(_ sd: Double) -> Double { gsl_ran_gaussian_ziggurat(rng, sd) }
    /// Exponential with the given mean (`gsl_ran_exponential`).
    @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }
    /// Lognormal with log-mean zeta and log-sd sigma (`gsl_ran_lognormal`).
    @inlinable public func lognormal(zeta: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, zeta, sigma) }
    /// Gamma with shape a and scale b (`gsl_ran_gamma`).
    @inlinable public func gamma(shape a: Double, scale b: Double) -> Double { gsl_ran_gamma(rng, a, b) }
    /// Beta(a, b) (`gsl_ran_beta`).
    @inlinable public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }
    /// Geometric number of trials to the first success, ≥ 1 (`gsl_ran_geometric`).
    @inlinable public func geometric(_ p: Double) -> Int { Int(gsl_ran_geometric(rng, p)) }

    /// Shuffle in place (`gsl_ran_shuffle`).
    public func shuffle<T>(_ xs: inout [T]) {
        let n = xs.count
        guard n > 1 else { return }
        xs.withUnsafeMutableBufferPointer { buf in
            gsl_ran_shuffle(rng, buf.baseAddress, n, MemoryLayout<T>.stride)
        }
    }
    /// `k` distinct elements of `xs` in their original order, without replacement (`gsl_ran_choose`).
    public func choose<T>(_ k: Int, from xs: [T]) -> [T] {
        let k = min(max(k, 0), xs.count)
        guard k > 0 else { return [] }
        var src = xs
        var dst = Array(xs.prefix(k))
        src.withUnsafeMutableBufferPointer { s in
            dst.withUnsafeMutableBufferPointer { d in
                _ = gsl_ran_choose(rng, d.baseAddress, k, s.baseAddress, s.count, MemoryLayout<T>.stride)
            }
        }
        return dst
    }
}

/// GSL's Sobol low-discrepancy sequence in `dimensions` dimensions (1…40), points in [0,1)^d.
public final class SobolSequence {
    private let q: UnsafeMutablePointer<gsl_qrng>
    public let dimensions: Int
    public init?(dimensions: Int) {
        _ = GSL.setUp
        guard dimensions >= 1, dimensions <= 40, let q = gsl_qrng_alloc(pillars_qrng_sobol(), UInt32(dimensions)) else { return nil }
        self.q = q
        self.dimensions = dimensions
    }
    deinit { gsl_qrng_free(q) }
    /// The next point of the sequence.
    public func next() -> [Double] {
        var x = [Double](repeating: 0, count: dimensions)
        x.withUnsafeMutableBufferPointer { _ = gsl_qrng_get(q, $0.baseAddress) }
        return x
    }
}

/// Result of a Nelder–Mead minimisation.
public struct MinimizerResult: Sendable {
    public var x: [Double]
    public var value: Double
    public var iterations: Int
    public var converged: Bool
}

/// GSL's Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`).
public enum NelderMead {
    private final class Box {
        let f: ([Double]) -> Double
        init(_ f: @escaping ([Double]) -> Double) { self.f = f }
    }

    /// Minimise `f` from `start` with initial simplex steps `step`, until the simplex
    /// size falls below `tolerance` or `maxIterations` pass.
    public static func minimize(
        start: [Double], step: [Double], tolerance: Double = 1e-4, maxIterations: Int = 500,
        _ f: @escaping ([Double]) -> Double
    ) -> MinimizerResult {
        _ = GSL.setUp
        let n = start.count
        precondition(n >= 1 && step.count == n)
        let box = Box(f)
        let ctx = Unmanaged.passRetained(box)
        defer { ctx.release() }
        var fn = gsl_multimin_function(
            f: { v, params in
                guard let v, let params else { return .nan }
                let b = Unmanaged<Box>.fromOpaque(params).takeUnretainedValue()
                let n = Int(v.pointee.size)
                var x = [Double](repeating: 0, count: n)
                for i in 0..<n { x[i] = gsl_vector_get(v, i) }
                let y = b.f(x)
                return y.isFinite ? y : 1e300
            },
            n: n, params: ctx.toOpaque())
        let x0 = gsl_vector_alloc(n)!, ss = gsl_vector_alloc(n)!
        defer { gsl_vector_free(x0); gsl_vector_free(ss) }
        for i in 0..<n { gsl_vector_set(x0, i, start[i]); gsl_vector_set(ss, i, step[i]) }
        let s = gsl_multimin_fminimizer_alloc(pillars_fminimizer_nmsimplex2(), n)!
        defer { gsl_multimin_fminimizer_free(s) }
        gsl_multimin_fminimizer_set(s, &fn, x0, ss)
        var iter = 0
        var converged = false
        while iter < maxIterations {
            iter += 1
            if gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS { break }
            let size = gsl_multimin_fminimizer_size(s)
            if gsl_multimin_test_size(size, tolerance) == GSL_SUCCESS { converged = true; break }
        }
        var best = [Double](repeating: 0, count: n)
        for i in 0..<n { best[i] = gsl_vector_get(s.pointee.x, i) }
        return MinimizerResult(x: best, value: s.pointee.fval, iterations: iter, converged: converged)
    }
}
