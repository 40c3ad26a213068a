import SimCore
import Foundation

/// What a model accepts in a scenario file: its parameters, the versions it reads,
/// and the names of list sections it decodes itself (e.g. projects, targets).
public struct ScenarioSchema: Sendable {
    public var registry: ParameterRegistry
    public var versions: ClosedRange<Int>
    public var sections: Set<String>
    public init(registry: ParameterRegistry, versions: ClosedRange<Int>, sections: Set<String>) {
        self.registry = registry
        self.versions = versions
        self.sections = sections
    }
    /// Top-level keys every scenario may have besides parameters and sections.
    public static let reservedKeys: Set<String> = ["version", "extends", "name", "description", "timeline"]
}

/// One timeline entry: on `day`, set these parameters (a baseline period, then the intervention).
public struct TimelineEntry: Sendable, Equatable {
    public var day: Int
    public var note: String
    public var changes: [(path: String, value: ParamValue)]
    public init(day: Int, note: String, changes: [(path: String, value: ParamValue)]) {
        self.day = day
        self.note = note
        self.changes = changes
    }
    public static func == (a: TimelineEntry, b: TimelineEntry) -> Bool {
        a.day == b.day && a.note == b.note && a.changes.map(\.path) == b.changes.map(\.path) && a.changes.map(\.value) == b.changes.map(\.value)
    }
}

/// A validated scenario: every parameter's effective value, the timeline and the
/// model's sections, with where each value came from.
public struct Scenario: Sendable {
    public var file: String
    public var version: Int
    public var name: String
    public var description: String
    public var parameters: ParameterSet
    /// Origin of each parameter that a file or `--set` gave (the rest are defaults).
    public var origins: [String: Origin]
    public var timeline: [TimelineEntry]
    public var sections: [String: ConfigNode]
    /// Parameters the planner stated for this run: given by `--set` or by a scheme overlay.
    /// They win over what is inferred: a posterior draw does not replace them (docs/ODD.md,
    /// "Precedence").
    public var stated: Set<String> = []
    /// For a scenario made by applying scheme overlays to a base (`Overlay.swift`): the base's
    /// value of every parameter the overlays changed, by path; empty otherwise. The community
    /// the overlay describes is the base's community under another policy or circumstance, so
    /// its residents' baseline satisfaction is anchored on the base (`anchorParameters`).
    public var anchorRevert: [String: ParamValue] = [:]

    /// The parameters whose warm-up anchors baseline satisfaction: these parameters with the
    /// overlays' changes reverted (the base's), or nil when the scenario is not an overlay.
    /// Changes made to the scenario later (posterior draws, sweep points) carry over.
    public var anchorParameters: ParameterSet? {
        guard !anchorRevert.isEmpty else { return nil }
        var p = parameters
        for (path, v) in anchorRevert { p[path] = v }
        return p
    }

    /// Parameters in force on `day` (the initial values with every timeline entry up to that day applied).
    public func parameters(onDay day: Int) -> ParameterSet {
        var p = parameters
        for e in timeline where e.day <= day { for c in e.changes { p[c.path] = c.value } }
        return p
    }
}

/// Loads scenario files: `extends` chains, deep merge, `--set` overrides, validation.
public struct ScenarioLoader: Sendable {
    public var schema: ScenarioSchema
    public static let maxExtendsDepth = 16
    public static let maxTimelineDay = 100 * 360

    public init(schema: ScenarioSchema) { self.schema = schema }

    /// Load `path`, follow `extends`, apply `overrides` ("a.b.c=value"), validate.
    public func load(_ path: String, overrides: [String] = []) throws -> Scenario {
        let tree = try loadTree(path, chain: [])
        return try build(tree, file: path, overrides: overrides)
    }

    /// Validate an in-memory tree (used by tests and by `load`).
    public func build(_ tree: ConfigNode, file: String, overrides: [String] = []) throws -> Scenario {
        guard case let .mapping(pairs, _) = tree else {
            throw ConfigError(at: tree.origin, "expected a mapping of scenario keys at the top level, got \(tree.kindName)")
        }
        // version
        guard let vnode = tree["version"] else {
            throw ConfigError(at: tree.origin, path: "version", "missing; expected a version number (supported: \(versionText))")
        }
        let v = try version(vnode)
        var params = ParameterSet(defaultsOf: schema.registry)
        var origins: [String: Origin] = [:]
        var sections: [String: ConfigNode] = [:]
        var timeline: [TimelineEntry] = []
        var name = (file as NSString).lastPathComponent
        var desc = ""
        for (key, value) in pairs {
            switch key {
            case "version", "extends": continue
            case "name": name = try text(value, path: key)
            case "description": desc = try text(value, path: key)
            case "timeline": timeline = try decodeTimeline(value)
            default:
                if schema.sections.contains(key) {
                    sections[key] = value
                } else {
                    try assign(value, path: key, into: &params, origins: &origins)
                }
            }
        }
        for o in overrides {
            let (path, value) = try Self.splitOverride(o)
            try assign(value, path: path, into: &params, origins: &origins)
        }
        return Scenario(file: file, version: v, name: name, description: desc, parameters: params,
                        origins: origins, timeline: timeline, sections: sections,
                        stated: Set(origins.filter { $0.value == .commandLine }.keys))
    }

    /// The version a `version:` node gives, if this build reads it.
    private func version(_ vnode: ConfigNode) throws -> Int {
        guard case let .scalar(vs, quoted, vo) = vnode else {
            throw ConfigError(at: vnode.origin, path: "version", "expected a whole number (supported: \(versionText)), got \(vnode.kindName)")
        }
        guard !quoted, let v = Int(vs) else {
            let what = quoted ? "quoted text \"\(vs)\" (write it without quotes)" : "'\(vs)'"
            throw ConfigError(at: vo, path: "version", "expected a whole number (supported: \(versionText)), got \(what)")
        }
        guard schema.versions.contains(v) else {
            throw ConfigError(at: vo, path: "version", "unsupported version \(v); this build reads \(versionText)")
        }
        return v
    }

    private var versionText: String {
        schema.versions.count == 1 ? "\(schema.versions.lowerBound)" : "\(schema.versions.lowerBound)…\(schema.versions.upperBound)"
    }

    /// Split `a.b.c=value` into the path and a scalar node; errors name the override.
    public static func splitOverride(_ o: String) throws -> (String, ConfigNode) {
        guard let eq = o.firstIndex(of: "=") else {
            throw ConfigError(file: "--set", path: o, "expected key.path=value")
        }
        let path = String(o[..<eq]).trimmingCharacters(in: .whitespaces)
        let raw = String(o[o.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { throw ConfigError(file: "--set", path: o, "expected key.path=value (the key is empty)") }
        guard !raw.isEmpty else { throw ConfigError(file: "--set", path: path, "expected key.path=value (the value is empty)") }
        var quoted = false
        var value = raw
        if raw.count >= 2, (raw.hasPrefix("\"") && raw.hasSuffix("\"")) || (raw.hasPrefix("'") && raw.hasSuffix("'")) {
            quoted = true
            value = String(raw.dropFirst().dropLast())
        }
        return (path, .scalar(value, quoted: quoted, .commandLine))
    }

    private func text(_ n: ConfigNode, path: String) throws -> String {
        guard case let .scalar(s, _, _) = n else {
            throw ConfigError(at: n.origin, path: path, "expected text, got \(n.kindName)")
        }
        return s
    }

    /// Walk a value at `path`: a parameter takes a scalar; a section of parameters a mapping.
    private func assign(_ node: ConfigNode, path: String, into params: inout ParameterSet,
                        origins: inout [String: Origin]) throws {
        if let spec = schema.registry[path] {
            guard case let .scalar(s, q, o) = node else {
                throw ConfigError(at: node.origin, path: path, "expected \(spec.expectation), got \(node.kindName)")
            }
            switch spec.parse(s, quoted: q) {
            case let .success(v):
                params[path] = v
                origins[path] = o
            case let .failure(e):
                throw ConfigError(at: o, path: path, e.message)
            }
        } else if schema.registry.isSection(path) {
            guard case let .mapping(pairs, _) = node else {
                throw ConfigError(at: node.origin, path: path, "expected a mapping of parameters, got \(node.kindName)")
            }
            for (k, v) in pairs { try assign(v, path: path + "." + k, into: &params, origins: &origins) }
        } else {
            var msg = "unknown key"
            if let s = schema.registry.suggestion(for: path) { msg += " (did you mean '\(s)'?)" }
            msg += "; `pillars params` lists every parameter"
            throw ConfigError(at: node.origin, path: path, msg)
        }
    }

    private func decodeTimeline(_ node: ConfigNode) throws -> [TimelineEntry] {
        var out: [TimelineEntry] = []
        for item in try node.records("timeline", keys: ["day", "set", "note"], entry: "a timeline entry") {
            let p = item.path
            guard let day = try item.number("day", in: 0...Double(Self.maxTimelineDay), whole: true).map({ Int($0) }) else {
                throw ConfigError(at: item.origin, path: "\(p).day", "missing; expected the day (0-based) the changes take effect")
            }
            guard let sn = item["set"], case .mapping = sn else {
                throw ConfigError(at: item.origin, path: "\(p).set", "expected a mapping of parameter paths to values")
            }
            var scratch = ParameterSet(defaultsOf: schema.registry)
            var o: [String: Origin] = [:]
            // One parameter given dotted and nested in one `set:` is refused, as at the top level.
            let expanded = try expandDotted(sn, inside: "\(p).set")
            try assign(expanded, pathPrefix: "", into: &scratch, origins: &o, errorPrefix: "\(p).set")
            let changes = o.keys.sorted { schema.registry.indexOf($0)! < schema.registry.indexOf($1)! }.map { ($0, scratch[$0]) }
            out.append(TimelineEntry(day: day, note: try item.text("note") ?? "", changes: changes))
        }
        for (a, b) in zip(out, out.dropFirst()) where b.day < a.day {
            throw ConfigError(file: node.origin.file, line: node.origin.line, path: "timeline",
                              "entries must be in order of day (day \(b.day) comes after day \(a.day))")
        }
        return out
    }

    private func assign(_ node: ConfigNode, pathPrefix: String, into params: inout ParameterSet,
                        origins: inout [String: Origin], errorPrefix: String) throws {
        guard case let .mapping(pairs, _) = node else { return }
        for (k, v) in pairs {
            do {
                try assign(v, path: k, into: &params, origins: &origins)
            } catch var e as ConfigError {
                e.path = "\(errorPrefix).\(e.path ?? k)"
                throw e
            }
        }
    }

    /// The files of `path`'s `extends` chain, `path` first, each once, as canonical paths
    /// (symbolic links resolved): what a file written in their place could come to extend.
    public func extendsChain(_ path: String) throws -> [String] {
        var out = [String](), p = path
        while out.count <= Self.maxExtendsDepth {
            let canonical = URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path
            if out.contains(canonical) { break }
            out.append(canonical)
            guard case let .scalar(base, _, _)? = try ConfigNode.load(file: p)["extends"], !base.isEmpty else { break }
            let dir = (p as NSString).deletingLastPathComponent
            p = base.hasPrefix("/") ? base : (dir.isEmpty ? base : dir + "/" + base)
        }
        return out
    }

    /// Read a file and its `extends` chain into one merged tree (internal: `Overlay.swift`
    /// applies scheme overlays to it).
    func loadTree(_ path: String, chain: [String]) throws -> ConfigNode {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        if chain.contains(canonical) {
            let names = (chain + [canonical]).map { ($0 as NSString).lastPathComponent }
            throw ConfigError(file: path, path: "extends", "cycle: \(names.joined(separator: " → "))")
        }
        guard chain.count < Self.maxExtendsDepth else {
            throw ConfigError(file: path, path: "extends", "more than \(Self.maxExtendsDepth) levels of extends")
        }
        let node = try expandDotted(ConfigNode.load(file: path), top: true)
        guard case .mapping = node else {
            throw ConfigError(at: node.origin, "expected a mapping of scenario keys at the top level, got \(node.kindName)")
        }
        // Every file of the chain must be a version this build reads, bases included.
        if let vnode = node["version"] { _ = try version(vnode) }
        guard let ext = node["extends"] else { return node }
        guard case let .scalar(base, _, o) = ext, !base.isEmpty else {
            throw ConfigError(at: ext.origin, path: "extends", "expected the path of a base scenario file, got \(ext.kindName)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        let basePath = base.hasPrefix("/") ? base : (dir.isEmpty ? base : dir + "/" + base)
        let parent: ConfigNode
        do {
            parent = try loadTree(basePath, chain: chain + [canonical])
        } catch let e as ConfigError where e.file == basePath && e.line == nil && e.path == nil {
            // The base itself is missing, unreadable or not a scenario file: say so at `extends`.
            throw ConfigError(at: o, path: "extends", "base scenario \(basePath) " + (e.message == "no such file" ? "not found" : e.message))
        }
        return ConfigNode.merge(parent, node)
    }

    /// `node` with dotted keys (`simulation.days: 50`) spelled out as nested mappings
    /// (`simulation: {days: 50}`), so that a base's dotted key and a child's nested one meet
    /// at the same place when the files are merged, and the child wins however either is
    /// written. The same parameter given twice in one file, once dotted and once nested, is an
    /// error naming both lines. At the top level, reserved keys and the model's own sections
    /// (projects, targets, communities…) are left as they are. Only leading parts that name a
    /// section of parameters are split off, so unknown keys keep their whole text.
    public func expandDotted(_ node: ConfigNode, top: Bool, prefix: String = "") throws -> ConfigNode {
        guard case let .mapping(pairs, origin) = node else { return node }
        var out: [(key: String, value: ConfigNode)] = []
        for (key, value) in pairs {
            if top, ScenarioSchema.reservedKeys.contains(key) || schema.sections.contains(key) {
                out.append((key, value))
                continue
            }
            // Split off the leading parts that name sections of parameters; an unknown
            // `simulaton.days` stays one key, so its error still names the whole key.
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var sections = 0
            while sections < parts.count - 1, !parts[sections].isEmpty,
                  schema.registry.isSection(prefix + parts[0...sections].joined(separator: ".")) { sections += 1 }
            let path = Array(parts[..<sections]) + [parts[sections...].joined(separator: ".")]
            // Build the nested form of this one entry, then fold it into what came before.
            var nested = try expandDotted(value, top: false, prefix: prefix + key + ".")
            for part in path.dropFirst().reversed() { nested = .mapping([(part, nested)], value.origin) }
            try Self.fold(&out, key: path[0], nested, path: prefix + path[0])
        }
        return .mapping(out, origin)
    }

    /// `expandDotted` of a `set:` mapping (a timeline entry's, a district community's): the
    /// same parameter given dotted and nested in it is an error whose key path starts with
    /// `inside` (e.g. `timeline[1].set`).
    public func expandDotted(_ node: ConfigNode, inside: String) throws -> ConfigNode {
        do { return try expandDotted(node, top: false) } catch var e as ConfigError {
            e.path = e.path.map { "\(inside).\($0)" } ?? inside
            throw e
        }
    }

    private static func fold(_ pairs: inout [(key: String, value: ConfigNode)], key: String, _ value: ConfigNode, path: String) throws {
        guard let i = pairs.firstIndex(where: { $0.key == key }) else {
            pairs.append((key, value))
            return
        }
        guard case .mapping(var into, let o) = pairs[i].value, case let .mapping(more, _) = value else {
            let lines = [pairs[i].value.origin.line, value.origin.line].map { $0.map(String.init) ?? "?" }
            throw ConfigError(at: value.origin, path: path,
                              "given twice in this file (lines \(lines[0]) and \(lines[1])), once as a dotted key and once nested; keep one")
        }
        for (k, v) in more { try fold(&into, key: k, v, path: path + "." + k) }
        pairs[i].value = .mapping(into, o)
    }
}
