import Foundation

/// Scheme overlays: a file holding only the settings a scheme changes (`version`, `name`,
/// `description` and parameters; no `extends`), applied on top of any base scenario. The
/// effective scenario of `base` + overlay is exactly what a file with `extends: base` and the
/// overlay's settings would give, so one scheme file serves every community.
extension ScenarioLoader {
    /// Load `base` (following its `extends` chain), deep-merge each overlay on top in order,
    /// apply `overrides` and validate. The scenario's `file` is the last overlay's path (the
    /// base's when there is none); its name is the last overlay's (its file name without
    /// extension when it has none), its description the last overlay's that has one.
    /// With overlays, the scenario's `anchorRevert` holds the base's value of each parameter the
    /// overlays changed (the base with the same `overrides`), so its residents' baseline
    /// satisfaction is anchored on the base community.
    public func load(_ base: String, overlays: [String], overrides: [String] = []) throws -> Scenario {
        let baseTree = try loadTree(base, chain: [])
        var tree = baseTree
        for path in overlays { tree = ConfigNode.merge(tree, try overlayTree(path)) }
        var s = try build(tree, file: overlays.last ?? base, overrides: overrides)
        // A scheme's settings are stated by the planner, as --set is.
        s.stated.formUnion(s.origins.filter { overlays.contains($0.value.file) }.keys)
        guard !overlays.isEmpty else { return s }
        let b = try build(baseTree, file: base, overrides: overrides)
        for spec in schema.registry.specs where s.parameters[spec.path] != b.parameters[spec.path] {
            s.anchorRevert[spec.path] = b.parameters[spec.path]
        }
        return s
    }

    /// Read one overlay file and check its shape: a mapping with a `version`, and no `extends`
    /// (an overlay applies to whatever base it is given).
    public func overlayTree(_ path: String) throws -> ConfigNode {
        let node = try ConfigNode.load(file: path)
        guard case .mapping = node else {
            throw ConfigError(at: node.origin, "expected a mapping of scheme settings at the top level, got \(node.kindName)")
        }
        if let e = node["extends"] {
            throw ConfigError(at: e.origin, path: "extends",
                              "a scheme overlay applies to any base and must not extend one; remove extends (or compare the file as a whole scenario, without --scheme)")
        }
        guard node["version"] != nil else {
            throw ConfigError(at: node.origin, path: "version", "missing; expected a version number in the scheme overlay")
        }
        // Without a name of its own the scheme is named by its file, never by the base it lands on.
        if node["name"] == nil, case let .mapping(pairs, o) = node {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return .mapping(pairs + [(key: "name", value: .scalar(stem, quoted: true, o))], o)
        }
        return node
    }
}
