import SimCore
/// Writes the effective scenario (every parameter, defaults filled in) back as YAML,
/// nested by dotted path, in registry order — what `pillars show` prints and what a run's
/// manifest records. Loading the text again gives the same parameters.
public enum ScenarioEmitter {
    public static func yaml(_ s: Scenario, sections: [String: ConfigNode]? = nil) -> String {
        var out = "version: \(s.version)\n"
        out += "name: \(quote(s.name))\n"
        if !s.description.isEmpty { out += "description: \(quote(s.description))\n" }
        var open: [String] = []
        for (i, spec) in s.parameters.registry.specs.enumerated() {
            var parts = spec.path.split(separator: ".").map(String.init)
            let leaf = parts.removeLast()
            var common = 0
            while common < min(open.count, parts.count), open[common] == parts[common] { common += 1 }
            open.removeLast(open.count - common)
            for p in parts[common...] {
                out += String(repeating: "  ", count: open.count) + "\(p):\n"
                open.append(p)
            }
            out += String(repeating: "  ", count: open.count) + "\(leaf): \(value(s.parameters.values[i]))\n"
        }
        if !s.timeline.isEmpty {
            out += "timeline:\n"
            for e in s.timeline {
                out += "  - day: \(e.day)\n"
                if !e.note.isEmpty { out += "    note: \(quote(e.note))\n" }
                out += "    set:\n"
                for c in e.changes { out += "      \(c.path): \(value(c.value))\n" }
            }
        }
        for (k, v) in (sections ?? s.sections).sorted(by: { $0.key < $1.key }) {
            out += "\(k):" + node(v, indent: 1)
        }
        return out
    }

    static func value(_ v: ParamValue) -> String {
        if case let .choice(c) = v { return quote(c) }
        return v.description
    }
    /// A plain scalar as written, unless it needs quotes to survive a round trip as text.
    static func plain(_ s: String) -> String {
        let safe = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || " -_./()%+".contains($0) }
            && !s.hasPrefix(" ") && !s.hasSuffix(" ")
        return safe ? s : quote(s)
    }
    static func quote(_ s: String) -> String {
        let plain = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || " -_./()%".contains($0) }
            && !s.hasPrefix(" ") && !s.hasSuffix(" ") && Double(s) == nil && !["true", "false", "null", "yes", "no", "~"].contains(s.lowercased())
        if plain { return s }
        var q = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": q += "\\\""
            case "\\": q += "\\\\"
            case "\n": q += "\\n"
            case "\r": q += "\\r"
            case "\t": q += "\\t"
            default:
                // Other control characters (and DEL) as \xHH, so the text survives a round trip.
                if ch.value < 0x20 || ch.value == 0x7f { q += "\\x" + String(ch.value, radix: 16).leftPad(2) } else { q.unicodeScalars.append(ch) }
            }
        }
        return q + "\""
    }
    static func node(_ n: ConfigNode, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        switch n {
        // Unquoted scalars keep their plain form (numbers, switches); quoted ones stay strings.
        case let .scalar(s, quoted, _): return " " + (quoted ? quote(s).ensureQuoted : plain(s)) + "\n"
        case .null: return " null\n"
        case let .mapping(pairs, _):
            if pairs.isEmpty { return " {}\n" }
            return "\n" + pairs.map { pad + quote($0.key) + ":" + node($0.value, indent: indent + 1) }.joined()
        case let .sequence(items, _):
            if items.isEmpty { return " []\n" }
            return "\n" + items.map { item -> String in
                let body = node(item, indent: indent + 1)
                if case .mapping = item {
                    // First line of the mapping goes after the dash.
                    let lines = body.dropFirst().split(separator: "\n", omittingEmptySubsequences: false)
                    var s = pad + "- " + lines[0].drop(while: { $0 == " " }) + "\n"
                    for l in lines.dropFirst() where !l.isEmpty { s += l + "\n" }
                    return s
                }
                return pad + "-" + body
            }.joined()
        }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
    var ensureQuoted: String { hasPrefix("\"") ? self : "\"" + self + "\"" }
}
