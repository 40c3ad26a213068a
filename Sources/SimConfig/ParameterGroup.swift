import SimCore
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
        for (f, s) in zip(fields, specs) { f.store(&g, p[s.path]) }
        return g
    }
}

/// One declared parameter: where it is stored and its specification (path relative to the prefix).
public struct ParameterField<G>: @unchecked Sendable {
    let keyPath: AnyKeyPath
    let spec: ParameterSpec
    let store: (inout G, ParamValue) -> Void
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
