import SimCore
/// A parameter's value: a number, a whole number, a switch or a word from a fixed list.
public enum ParamValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case double(Double)
    case int(Int)
    case bool(Bool)
    case choice(String)

    public var description: String {
        switch self {
        case let .double(x): return formatParam(x)
        case let .int(i): return String(i)
        case let .bool(b): return b ? "true" : "false"
        case let .choice(s): return s
        }
    }
    /// The value as a number (bools as 0/1), for sweeps and tables.
    public var number: Double? {
        switch self {
        case let .double(x): return x
        case let .int(i): return Double(i)
        case let .bool(b): return b ? 1 : 0
        case .choice: return nil
        }
    }
}

/// A double printed reproducibly: integral values without ".0", others in Swift's shortest round-trip form.
public func formatParam(_ x: Double) -> String { formatNumber(x) }

/// A model parameter: its dotted path, type, unit, valid range, default and the source of
/// the default. Parameters document themselves: `pillars params` prints these fields.
public struct ParameterSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        case double(min: Double, max: Double)
        case int(min: Int, max: Int)
        case bool
        case choice([String])
    }
    public var path: String
    public var kind: Kind
    public var unit: String
    public var defaultValue: ParamValue
    public var summary: String
    public var source: String
    /// Read only when a community is set up (its population, ties, initial levels): a timeline
    /// may not change it, since the change would do nothing.
    public var fixedAtStart = false

    public static func double(_ path: String, _ def: Double, _ min: Double, _ max: Double, unit: String,
                              _ summary: String, source: String) -> ParameterSpec {
        ParameterSpec(path: path, kind: .double(min: min, max: max), unit: unit, defaultValue: .double(def), summary: summary, source: source)
    }
    public static func int(_ path: String, _ def: Int, _ min: Int, _ max: Int, unit: String,
                           _ summary: String, source: String) -> ParameterSpec {
        ParameterSpec(path: path, kind: .int(min: min, max: max), unit: unit, defaultValue: .int(def), summary: summary, source: source)
    }
    public static func bool(_ path: String, _ def: Bool, _ summary: String, source: String) -> ParameterSpec {
        ParameterSpec(path: path, kind: .bool, unit: "switch", defaultValue: .bool(def), summary: summary, source: source)
    }
    public static func choice(_ path: String, _ def: String, _ choices: [String], _ summary: String, source: String) -> ParameterSpec {
        ParameterSpec(path: path, kind: .choice(choices), unit: "choice", defaultValue: .choice(def), summary: summary, source: source)
    }

    public var minText: String {
        switch kind {
        case let .double(lo, _): formatParam(lo)
        case let .int(lo, _): String(lo)
        case .bool: "false"
        case let .choice(c): c.first ?? ""
        }
    }
    public var maxText: String {
        switch kind {
        case let .double(_, hi): formatParam(hi)
        case let .int(_, hi): String(hi)
        case .bool: "true"
        case let .choice(c): c.count > 1 ? c.joined(separator: "|") : (c.first ?? "")
        }
    }
    /// The kind as `pillars params --csv` names it (for scripts that build typed designs,
    /// such as the Python package's EMA Workbench model): real, integer, boolean or choice.
    public var kindName: String {
        switch kind {
        case .double: "real"
        case .int: "integer"
        case .bool: "boolean"
        case .choice: "choice"
        }
    }
    /// What a valid value looks like, for error messages.
    public var expectation: String {
        switch kind {
        case let .double(lo, hi): "a number in [\(formatParam(lo)), \(formatParam(hi))] (\(unit))"
        case let .int(lo, hi): "a whole number in [\(lo), \(hi)] (\(unit))"
        case .bool: "true or false"
        case let .choice(c): "one of \(c.joined(separator: ", "))"
        }
    }

    /// Parse and check a scalar's text against this parameter. Throws a message (no location).
    public func parse(_ text: String, quoted: Bool) -> Result<ParamValue, ParamParseError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case let .double(lo, hi):
            guard !quoted, let x = parseYAMLNumber(t) else {
                return .failure(.init("expected \(expectation), got \(describe(text, quoted))"))
            }
            guard x.isFinite else { return .failure(.init("expected \(expectation), got \(t) (not a finite number)")) }
            guard x >= lo, x <= hi else { return .failure(.init("expected \(expectation), got \(formatParam(x)) (out of range)")) }
            return .success(.double(x))
        case let .int(lo, hi):
            guard !quoted, let x = parseYAMLNumber(t) else {
                return .failure(.init("expected \(expectation), got \(describe(text, quoted))"))
            }
            guard x.isFinite, x == x.rounded() else { return .failure(.init("expected \(expectation), got \(t) (not a whole number)")) }
            guard x >= Double(lo), x <= Double(hi) else { return .failure(.init("expected \(expectation), got \(t) (out of range)")) }
            return .success(.int(Int(x)))
        case .bool:
            switch quoted ? "" : t {
            case "true", "True", "TRUE": return .success(.bool(true))
            case "false", "False", "FALSE": return .success(.bool(false))
            default: return .failure(.init("expected true or false, got \(describe(text, quoted))"))
            }
        case let .choice(c):
            guard c.contains(t) else { return .failure(.init("expected \(expectation), got \(describe(text, quoted))")) }
            return .success(.choice(t))
        }
    }
    private func describe(_ text: String, _ quoted: Bool) -> String {
        let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return quoted ? "the string \"\(short)\"" : "'\(short)'"
    }
}

public struct ParamParseError: Error, Sendable {
    public var message: String
    public init(_ m: String) { message = m }
}

/// YAML 1.2 numbers: decimal, scientific, `.inf`, `.nan`; also `1_000` digit groups.
func parseYAMLNumber(_ t: String) -> Double? {
    switch t {
    case ".inf", ".Inf", ".INF", "+.inf": return .infinity
    case "-.inf", "-.Inf", "-.INF": return -.infinity
    case ".nan", ".NaN", ".NAN": return .nan
    default: break
    }
    let s = t.replacingOccurrences(of: "_", with: "")
    guard !s.isEmpty, s.count < 64, s.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
    return Double(s)
}

/// Every parameter of a model, by dotted path.
public struct ParameterRegistry: Sendable {
    public let specs: [ParameterSpec]
    private let index: [String: Int]
    /// Prefixes of registered paths ("a", "a.b" for "a.b.c"), to tell sections from unknown keys.
    private let prefixes: Set<String>

    public init(_ specs: [ParameterSpec]) {
        var idx: [String: Int] = [:]
        var pre = Set<String>()
        for (i, s) in specs.enumerated() {
            precondition(idx[s.path] == nil, "parameter \(s.path) declared twice")
            precondition(s.parse(s.defaultValue.description, quoted: false).isSuccess, "default of \(s.path) is invalid")
            idx[s.path] = i
            var parts = s.path.split(separator: ".").map(String.init)
            parts.removeLast()
            var p = ""
            for part in parts {
                p = p.isEmpty ? part : p + "." + part
                pre.insert(p)
            }
        }
        self.specs = specs
        index = idx
        prefixes = pre
    }
    public subscript(path: String) -> ParameterSpec? { index[path].map { specs[$0] } }
    public func indexOf(_ path: String) -> Int? { index[path] }
    public func isSection(_ path: String) -> Bool { prefixes.contains(path) }
    /// The registered path nearest to `path` (edit distance), for "did you mean" hints.
    public func suggestion(for path: String) -> String? {
        var best: (String, Int)?
        let limit = max(2, path.count / 4)
        // No registered path is this long: nothing is near, and the distances would take long.
        guard path.utf8.count <= 256 else { return nil }
        for s in specs where abs(s.path.utf8.count - path.utf8.count) <= limit {
            let d = editDistance(path, s.path)
            if d <= max(2, path.count / 4), d < (best?.1 ?? .max) { best = (s.path, d) }
        }
        return best?.0
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = prev
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// Effective values of every parameter (defaults filled in), indexed like the registry.
public struct ParameterSet: Sendable, Equatable {
    public let registry: ParameterRegistry
    public private(set) var values: [ParamValue]

    public static func == (a: ParameterSet, b: ParameterSet) -> Bool { a.values == b.values }

    public init(defaultsOf registry: ParameterRegistry) {
        self.registry = registry
        values = registry.specs.map(\.defaultValue)
    }
    public subscript(path: String) -> ParamValue {
        get {
            guard let i = registry.indexOf(path) else { preconditionFailure("unknown parameter \(path)") }
            return values[i]
        }
        set {
            guard let i = registry.indexOf(path) else { preconditionFailure("unknown parameter \(path)") }
            values[i] = newValue
        }
    }
    public func double(_ path: String) -> Double {
        switch self[path] {
        case let .double(x): return x
        case let .int(i): return Double(i)
        case let .bool(b): return b ? 1 : 0
        case .choice: preconditionFailure("\(path) is a choice, not a number")
        }
    }
    public func int(_ path: String) -> Int {
        switch self[path] {
        case let .int(i): return i
        case let .double(x): return Int(x.rounded())
        default: preconditionFailure("\(path) is not a number")
        }
    }
    public func bool(_ path: String) -> Bool {
        if case let .bool(b) = self[path] { return b }
        preconditionFailure("\(path) is not a switch")
    }
    public func choice(_ path: String) -> String {
        if case let .choice(s) = self[path] { return s }
        preconditionFailure("\(path) is not a choice")
    }
    /// Set a parameter from a number (sweeps, calibration), checking its kind and range.
    public mutating func set(_ path: String, number x: Double) throws(ParamParseError) {
        guard let spec = registry[path] else { throw ParamParseError("unknown parameter \(path)") }
        let text: String
        switch spec.kind {
        case .bool: text = x >= 0.5 ? "true" : "false"
        case .int: text = formatParam(x.rounded())
        case .double: text = formatParam(x)
        case .choice: throw ParamParseError("\(path) is a choice (\(spec.expectation)); it cannot take a number")
        }
        self[path] = try spec.parse(text, quoted: false).get()
    }
}

// MARK: - Groups: parameters declared once

/// A group of parameters held by one settings struct. Each parameter is declared once, as a
/// field of the group's table: the stored property that holds it (a key path), its name under
/// the group's prefix, its range, unit, summary and the source of its default. The default is
/// the stored property's initial value, so `init()` gives the defaults.
///
///     public struct WhistleSettings: ParameterGroup {
///         public var compliance = 0.95
///         public static let parameters = ParameterTable<Self>("governance.whistle", [
///             .number(\.compliance, "compliance", 0...1, unit: "probability", "…", source: "…"),
///         ])
///     }
///
/// `pillars params`, `docs/PARAMETERS.md`, the scenario schema and the loading of values all
/// come from these tables, so a parameter's dotted path is written in one place.
public protocol ParameterGroup: Sendable {
    /// Every parameter at its default.
    init()
    /// The group's parameters, in the order `pillars params` lists them.
    static var parameters: ParameterTable<Self> { get }
    /// The group's parameters with their full paths (from `parameters`).
    static var specs: [ParameterSpec] { get }
}

extension ParameterGroup {
    public static var specs: [ParameterSpec] { parameters.specs }
    /// The group with every parameter read from `p` (defaults where `p` has none of this group).
    public init(_ p: ParameterSet) { self = Self.parameters.load(p) }
    /// The dotted path of the parameter stored at `keyPath`.
    public static func path(_ keyPath: PartialKeyPath<Self>) -> String {
        guard let path = parameters.paths[keyPath] else { preconditionFailure("\(keyPath) is not a declared parameter") }
        return path
    }
}

/// The declared parameters of one group: the prefix of their paths and one field each.
public struct ParameterTable<G: ParameterGroup>: @unchecked Sendable {
    public let prefix: String
    public let fields: [ParameterField<G>]
    /// Each field's parameter, with its full path.
    public let specs: [ParameterSpec]
    let paths: [AnyKeyPath: String]

    public init(_ prefix: String, _ fields: [ParameterField<G>]) {
        self.prefix = prefix
        self.fields = fields
        specs = fields.map { f in
            var s = f.spec
            s.path = prefix.isEmpty ? f.spec.path : prefix + "." + f.spec.path
            return s
        }
        paths = Dictionary(uniqueKeysWithValues: zip(fields.map(\.keyPath), specs.map(\.path)))
    }

    /// The group with each field's value taken from `p`.
    func load(_ p: ParameterSet) -> G {
        var g = G()
        // An index loop, not zip: the generic zip looked up type metadata on every step, which
        // made building settings from a parameter set most of the cost of checking a design
        // point (`pillars sweep --dry-run` of 10⁶ points; issue 29).
        for i in fields.indices { fields[i].store(&g, p[specs[i].path]) }
        return g
    }
}

/// One declared parameter: where it is stored and its specification (path relative to the prefix).
public struct ParameterField<G>: @unchecked Sendable {
    let keyPath: AnyKeyPath
    var spec: ParameterSpec
    let store: (inout G, ParamValue) -> Void

    /// The parameter is read only when a community is set up: a timeline may not change it.
    public func fixedAtStart() -> Self {
        var f = self
        f.spec.fixedAtStart = true
        return f
    }
}

extension ParameterField where G: ParameterGroup {
    /// A real number stored as a `Double`.
    public static func number(_ kp: WritableKeyPath<G, Double>, _ name: String, _ range: ClosedRange<Double>,
                              unit: String, _ summary: String, source: String) -> Self {
        Self(keyPath: kp, spec: .double(name, G()[keyPath: kp], range.lowerBound, range.upperBound, unit: unit, summary, source: source)) { g, v in
            if case let .double(x) = v { g[keyPath: kp] = x }
        }
    }
    /// A real number stored as a `Float` (a hot-path term); its default is the literal as written.
    public static func number(_ kp: WritableKeyPath<G, Float>, _ name: String, _ range: ClosedRange<Double>,
                              unit: String, _ summary: String, source: String) -> Self {
        let def = Double(G()[keyPath: kp].description) ?? Double(G()[keyPath: kp])
        return Self(keyPath: kp, spec: .double(name, def, range.lowerBound, range.upperBound, unit: unit, summary, source: source)) { g, v in
            if case let .double(x) = v { g[keyPath: kp] = Float(x) }
        }
    }
    /// A whole number.
    public static func count(_ kp: WritableKeyPath<G, Int>, _ name: String, _ range: ClosedRange<Int>,
                             unit: String, _ summary: String, source: String) -> Self {
        Self(keyPath: kp, spec: .int(name, G()[keyPath: kp], range.lowerBound, range.upperBound, unit: unit, summary, source: source)) { g, v in
            if case let .int(x) = v { g[keyPath: kp] = x }
        }
    }
    /// A switch.
    public static func flag(_ kp: WritableKeyPath<G, Bool>, _ name: String, _ summary: String, source: String) -> Self {
        Self(keyPath: kp, spec: .bool(name, G()[keyPath: kp], summary, source: source)) { g, v in
            if case let .bool(x) = v { g[keyPath: kp] = x }
        }
    }
    /// A word from the cases of `E`.
    public static func choice<E: RawRepresentable & CaseIterable>(_ kp: WritableKeyPath<G, E>, _ name: String,
                                                                   _ summary: String, source: String) -> Self where E.RawValue == String {
        Self(keyPath: kp, spec: .choice(name, G()[keyPath: kp].rawValue, E.allCases.map(\.rawValue), summary, source: source)) { g, v in
            if case let .choice(s) = v, let e = E(rawValue: s) { g[keyPath: kp] = e }
        }
    }
}

extension ParameterSet {
    /// A declared parameter's value, named by where its group stores it (`p[\SimulationSettings.days]`),
    /// so code outside the group never spells the dotted path.
    public subscript<G: ParameterGroup, V>(_ keyPath: KeyPath<G, V>) -> V { G(self)[keyPath: keyPath] }
}

extension ParameterSpec {
    /// What is wrong with `text`, read as `value` from a cell of a file of numbers (a posterior
    /// draw, a design point), beyond being a finite number in range: a control character (a
    /// NUL would cut the number short where it is read as C text) or, for a whole-number
    /// parameter, a fraction (`--set` refuses 2.5 too; files are never rounded silently).
    /// nil when it is fine.
    public func cellProblem(_ text: Substring, value: Double) -> String? {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "'\(ConfigError.oneLine(String(text.prefix(40))))' contains a control character"
        }
        if case .int = kind, value != value.rounded() {
            return "\(text) is not a whole number (\(path) is \(expectation))"
        }
        return nil
    }
}
