import SimCore
/// Reading a model's list sections (`projects:`, `targets:`, `communities:`, `timeline:`):
/// lists of mappings with known keys, with errors that name `section[i].key`.
extension ConfigNode {
    /// One entry of a list section: its path (`section[i]`) and its mapping node.
    public struct Record {
        public var path: String
        public var node: ConfigNode
        public var origin: Origin { node.origin }

        /// The value at `key`, if present.
        public subscript(key: String) -> ConfigNode? { node[key] }

        /// Text at `key` (any scalar), nil when absent; an error when it is not a scalar or
        /// (with `nonEmpty`) blank.
        public func text(_ key: String, nonEmpty: Bool = false) throws -> String? {
            guard let v = node[key] else { return nil }
            guard case let .scalar(t, _, _) = v, !nonEmpty || !t.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(at: v.origin, path: "\(path).\(key)", "expected text, got \(v.kindName)")
            }
            return t
        }
        /// Text that must be present.
        public func requiredText(_ key: String) throws -> String {
            guard let t = try text(key) else { throw ConfigError(at: origin, path: "\(path).\(key)", "missing") }
            return t
        }
        /// A finite number in `range` at `key` (unquoted; `1_000` digit groups allowed), nil when absent.
        public func number(_ key: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                           whole: Bool = false) throws -> Double? {
            guard let v = node[key] else { return nil }
            let expected = "expected a \(whole ? "whole number" : "number") in [\(formatNumber(range.lowerBound)), \(formatNumber(range.upperBound))]"
            guard case let .scalar(t, false, o) = v, let x = parseYAMLNumber(t), x.isFinite, !whole || x == x.rounded() else {
                throw ConfigError(at: v.origin, path: "\(path).\(key)", expected)
            }
            guard range.contains(x) else { throw ConfigError(at: o, path: "\(path).\(key)", "\(expected), got \(t) (out of range)") }
            return x
        }
        /// A switch (`true`/`false`) at `key`, nil when absent.
        public func bool(_ key: String) throws -> Bool? {
            guard let v = node[key] else { return nil }
            guard case let .scalar(t, false, _) = v, t == "true" || t == "false" else {
                throw ConfigError(at: v.origin, path: "\(path).\(key)", "expected true or false")
            }
            return t == "true"
        }
    }

    /// The entries of the list section `section` (this node): each must be a mapping whose keys
    /// are among `keys`; `entry` names an entry in messages ("a project", "a target", …).
    public func records(_ section: String, keys: Set<String>, entry: String, allowEmpty: Bool = true) throws -> [Record] {
        guard case let .sequence(items, _) = self else {
            throw ConfigError(at: origin, path: section, "expected a list of entries (\(entry) each), got \(kindName)")
        }
        guard allowEmpty || !items.isEmpty else {
            throw ConfigError(at: origin, path: section, "empty; expected at least one entry (\(entry))")
        }
        let keyList = keys.sorted().joined(separator: ", ")
        return try items.enumerated().map { i, item in
            let path = "\(section)[\(i)]"
            guard case let .mapping(pairs, _) = item else {
                throw ConfigError(at: item.origin, path: path, "expected a mapping (\(keyList)), got \(item.kindName)")
            }
            for (k, v) in pairs where !keys.contains(k) {
                throw ConfigError(at: v.origin, path: "\(path).\(k)", "unknown key; \(entry) has \(keyList)")
            }
            return Record(path: path, node: item)
        }
    }
}
