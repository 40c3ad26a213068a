import SimCore
import SimConfig
/// One swept parameter: a dotted path into the configuration (e.g. `deliberation.quorum`)
/// and the values it may take.
///
/// Three forms, as on the command line (see `parse(_:)`):
/// - `path=lo:hi` — a continuous range [lo, hi];
/// - `path=lo:hi:step` — the lattice lo, lo+step, … ≤ hi (`step` set);
/// - `path=v1,v2,v3` — an explicit list (`values` set, in the order given; `lo`/`hi` are
///   its minimum and maximum). A single value `path=v` is a list of one.
///
/// Invariants (checked by the initialisers): the path is a non-empty dotted name, every
/// number is finite, lo ≤ hi, step > 0, a list is non-empty, and a parameter has at most
/// `maxGridValues` lattice or list values.
public struct ParameterRange: Sendable, Equatable {
    /// The largest number of lattice or list values one parameter may have.
    public static let maxGridValues = 1_000_000

    /// The dotted configuration path.
    public let name: String
    /// Lower end (the list's minimum for an explicit list).
    public let lo: Double
    /// Upper end (the list's maximum for an explicit list).
    public let hi: Double
    /// Lattice step, when the parameter is `lo:hi:step`.
    public let step: Double?
    /// Explicit values, when the parameter is `v1,v2,…`.
    public let values: [Double]?

    /// A continuous range, or a lattice when `step` is given.
    public init(name: String, lo: Double, hi: Double, step: Double? = nil) throws {
        try self.init(name: name, lo: lo, hi: hi, step: step,
                      text: "\(name)=\(lo):\(hi)" + (step.map { ":\($0)" } ?? ""))
    }

    /// An explicit list of values (kept in the order given).
    public init(name: String, values: [Double]) throws {
        try self.init(name: name, values: values, text: "\(name)=" + values.map { "\($0)" }.joined(separator: ","))
    }

    /// Range or lattice, validated; errors quote `text`.
    private init(name: String, lo: Double, hi: Double, step: Double?, text: String) throws {
        try Self.checkPath(name, text: text)
        for x in [lo, hi] + (step.map { [$0] } ?? []) where !x.isFinite {
            throw Self.error(text, "\(x) is not a finite number")
        }
        guard lo <= hi else { throw Self.error(text, "lo (\(lo)) is greater than hi (\(hi))") }
        if let step {
            guard step > 0 else { throw Self.error(text, "step must be > 0, got \(step)") }
            let count = Self.latticeCount(lo: lo, hi: hi, step: step)
            guard count <= Double(Self.maxGridValues) else {
                throw Self.error(text, "\(Self.countText(count)) grid values, more than the \(Self.maxGridValues) allowed; use a larger step")
            }
        }
        self.name = name
        self.lo = lo
        self.hi = hi
        self.step = step
        self.values = nil
    }

    /// List, validated; errors quote `text`.
    private init(name: String, values: [Double], text: String) throws {
        try Self.checkPath(name, text: text)
        guard !values.isEmpty else { throw Self.error(text, "the list of values is empty") }
        if let bad = values.first(where: { !$0.isFinite }) { throw Self.error(text, "\(bad) is not a finite number") }
        guard values.count <= Self.maxGridValues else {
            throw Self.error(text, "\(values.count) values, more than the \(Self.maxGridValues) allowed")
        }
        self.name = name
        self.lo = values.min()!
        self.hi = values.max()!
        self.step = nil
        self.values = values
    }

    /// Parse the command-line syntax `path=lo:hi`, `path=lo:hi:step` or `path=v1,v2,v3`
    /// (whitespace around the parts is ignored). Throws `ExperimentError` naming the text.
    public static func parse(_ text: String) throws -> ParameterRange {
        guard let eq = text.firstIndex(of: "=") else {
            throw error(text, "missing '='")
        }
        let path = String(text[..<eq]).experimentTrimmed()
        let spec = String(text[text.index(after: eq)...]).experimentTrimmed()
        try checkPath(path, text: text)
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { String($0) }
            guard parts.count == 2 || parts.count == 3 else {
                throw error(text, "expected lo:hi or lo:hi:step, got \(parts.count) ':'-separated parts")
            }
            let numbers = try parts.map { try number($0, in: text) }
            let step: Double? = parts.count == 3 ? numbers[2] : nil
            guard numbers[0] <= numbers[1] else {
                throw error(text, "lo (\(parts[0].experimentTrimmed())) is greater than hi (\(parts[1].experimentTrimmed()))")
            }
            if let step, !(step > 0) { throw error(text, "step must be > 0, got \(parts[2].experimentTrimmed())") }
            return try ParameterRange(name: path, lo: numbers[0], hi: numbers[1], step: step, text: text)
        }
        guard !spec.isEmpty else { throw error(text, "the list of values is empty") }
        let parts = spec.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        guard parts.count <= maxGridValues else {
            throw error(text, "\(parts.count) values, more than the \(maxGridValues) allowed")
        }
        let values = try parts.map { try number($0, in: text) }
        return try ParameterRange(name: path, values: values, text: text)
    }

    /// The finite set of values the parameter takes, if it has one: its explicit list, or
    /// its lattice lo, lo+step, … ≤ hi. Nil for a continuous range.
    public var discreteValues: [Double]? {
        if let values { return values }
        guard let step else { return nil }
        let count = Int(Self.latticeCount(lo: lo, hi: hi, step: step))
        // lo + k·step (not accumulated), clamped so rounding never steps past hi.
        return (0..<count).map { min(lo + Double($0) * step, hi) }
    }

    /// The values of this parameter in a full-factorial grid: `discreteValues` if any, else
    /// `n` evenly spaced values including both ends (`n == 1` gives the midpoint, and a
    /// degenerate range lo == hi its single value).
    public func gridValues(count n: Int) -> [Double] {
        if let d = discreteValues { return d }
        precondition(n >= 1, "gridValues(count:) needs n ≥ 1")
        if n == 1 || lo == hi { return [lo + (hi - lo) / 2] }
        return (0..<n).map { $0 == n - 1 ? hi : lo + (hi - lo) * Double($0) / Double(n - 1) }
    }

    /// Map a unit coordinate u ∈ [0, 1) to parameter units: lo + u·(hi − lo) for a continuous
    /// range; for a list or lattice, the value at index ⌊u·count⌋ (so each of the `count`
    /// values owns an equal share of [0, 1)).
    public func scaled(_ u: Double) -> Double {
        if let d = discreteValues {
            let i = Int((u * Double(d.count)).rounded(.down))
            return d[min(max(i, 0), d.count - 1)]
        }
        return lo + u * (hi - lo)
    }

    // MARK: - Helpers

    /// Number of lattice values lo, lo+step, … ≤ hi, with a relative tolerance of 1e-9 steps
    /// so that e.g. 0:0.3:0.1 has four values despite binary rounding. As a Double so huge
    /// counts can be rejected before converting.
    static func latticeCount(lo: Double, hi: Double, step: Double) -> Double {
        ((hi - lo) / step + 1e-9).rounded(.down) + 1
    }

    private static func countText(_ c: Double) -> String {
        c < 1e15 ? String(Int(c)) : "\(c)"
    }

    private static func error(_ text: String, _ problem: String) -> ExperimentError {
        ExperimentError("parameter '\(text)': \(problem) (expected path=lo:hi, path=lo:hi:step or path=v1,v2,...)")
    }

    private static func checkPath(_ path: String, text: String) throws {
        guard !path.isEmpty else { throw error(text, "empty parameter path before '='") }
        let components = path.split(separator: ".", omittingEmptySubsequences: false)
        if components.contains(where: \.isEmpty) || path.contains(where: \.isWhitespace) {
            throw error(text, "malformed path '\(path)': expected dotted names like deliberation.quorum")
        }
    }

    private static func number(_ s: String, in text: String) throws -> Double {
        let t = s.experimentTrimmed()
        guard !t.isEmpty else { throw error(text, "empty number") }
        guard let x = Double(t) else { throw error(text, "'\(t)' is not a number") }
        guard x.isFinite else { throw error(text, "'\(t)' is not a finite number (NaN and infinity are not allowed)") }
        return x
    }
}

extension String {
    /// The string without leading and trailing whitespace (no Foundation needed).
    func experimentTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
