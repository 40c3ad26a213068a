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
