import Foundation
import Testing
@testable import Governance
@testable import SimCore
@testable import SimConfig
import Experiments
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

// Scenario fuzzing (issue 8, item 1): the bundled scenarios mutated into thousands of variants,
// each either a clear ConfigError (one line, naming the file, and the key path for key errors)
// or a valid scenario that runs briefly without a crash, a hang, an infinity or a NaN where
// something is measured. The same for `--set` values. Deterministic from `FuzzTests.seed`;
// counts are printed ("fuzz: …") and recorded in docs/RELIABILITY.md.

// Deterministic randomness: SplitMix64 (TestSupport), the same on every platform and run.

// MARK: - A mutable YAML tree and its emitter

/// A YAML tree without origins, easy to mutate; mappings may hold a key twice (to emit duplicates).
indirect enum YNode {
    case scalar(String, quoted: Bool)
    case map([(key: String, value: YNode)])
    case seq([YNode])
    case null

    init(_ n: ConfigNode) {
        switch n {
        case let .scalar(s, q, _): self = .scalar(s, quoted: q)
        case let .mapping(pairs, _): self = .map(pairs.map { ($0.key, YNode($0.value)) })
        case let .sequence(items, _): self = .seq(items.map(YNode.init))
        case .null: self = .null
        }
    }

    /// Block-style YAML. Plain scalars are written verbatim (so the fuzzer can inject raw text);
    /// quoted scalars and keys that need it are double-quoted with escapes.
    func yaml() -> String {
        switch self {
        case .map, .seq: return Self.block(self, indent: 0)
        case let .scalar(s, q): return (q ? Self.quote(s) : s) + "\n"
        case .null: return "~\n"
        }
    }

    static func quote(_ s: String) -> String {
        var q = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": q += "\\\""
            case "\\": q += "\\\\"
            case "\n": q += "\\n"
            case "\r": q += "\\r"
            case "\t": q += "\\t"
            default:
                if ch.value < 0x20 || ch.value == 0x7f { q += String(format: "\\x%02x", ch.value) } else { q.unicodeScalars.append(ch) }
            }
        }
        return q + "\""
    }
    static func key(_ k: String) -> String {
        let plain = !k.isEmpty && k.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0) }
            && !k.hasPrefix("-")
        return plain ? k : quote(k)
    }
    /// The text after "key:" or "-": inline for scalars and empty containers, else a newline and the block.
    static func inline(_ n: YNode, indent: Int) -> String {
        switch n {
        case let .scalar(s, q): return " " + (q ? quote(s) : s) + "\n"
        case .null: return " ~\n"
        case let .map(p) where p.isEmpty: return " {}\n"
        case let .seq(i) where i.isEmpty: return " []\n"
        default: return "\n" + block(n, indent: indent)
        }
    }
    static func block(_ n: YNode, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        switch n {
        case let .map(pairs):
            if pairs.isEmpty { return pad + "{}\n" }
            return pairs.map { pad + key($0.key) + ":" + inline($0.value, indent: indent + 1) }.joined()
        case let .seq(items):
            if items.isEmpty { return pad + "[]\n" }
            return items.map { pad + "-" + inline($0, indent: indent + 1) }.joined()
        default: return pad + String(inline(n, indent: indent).dropFirst())
        }
    }

    var mapPairs: [(key: String, value: YNode)]? { if case let .map(p) = self { p } else { nil } }
    var isContainer: Bool { if case .map = self { true } else if case .seq = self { true } else { false } }
    var childCount: Int {
        switch self {
        case let .map(p): p.count
        case let .seq(i): i.count
        default: 0
        }
    }
    enum Kind { case scalar, map, seq, null }
    var kind: Kind {
        switch self {
        case .scalar: .scalar
        case .map: .map
        case .seq: .seq
        case .null: .null
        }
    }
    /// Every node: its path (child indices from the root), kind and number of children.
    func index() -> [(path: [Int], kind: Kind, children: Int)] {
        var out: [(path: [Int], kind: Kind, children: Int)] = []
        func walk(_ n: YNode, _ prefix: [Int]) {
            out.append((prefix, n.kind, n.childCount))
            switch n {
            case let .map(p): for (i, kv) in p.enumerated() { walk(kv.value, prefix + [i]) }
            case let .seq(items): for (i, v) in items.enumerated() { walk(v, prefix + [i]) }
            default: break
            }
        }
        walk(self, [])
        return out
    }
    func node(at path: [Int]) -> YNode {
        guard let i = path.first else { return self }
        switch self {
        case let .map(p): return p[i].value.node(at: Array(path.dropFirst()))
        case let .seq(items): return items[i].node(at: Array(path.dropFirst()))
        default: return self
        }
    }
    /// Apply `f` to the node at `path`.
    mutating func update(_ path: [Int], _ f: (inout YNode) -> Void) {
        guard let i = path.first else { f(&self); return }
        let rest = Array(path.dropFirst())
        switch self {
        case var .map(p):
            p[i].value.update(rest, f)
            self = .map(p)
        case var .seq(items):
            items[i].update(rest, f)
            self = .seq(items)
        default: break
        }
    }
    subscript(key: String) -> YNode? {
        if case let .map(p) = self { return p.first { $0.key == key }?.value }
        return nil
    }
    mutating func set(_ key: String, _ v: YNode?) {
        guard case var .map(p) = self else { return }
        if let i = p.firstIndex(where: { $0.key == key }) {
            if let v { p[i].value = v } else { p.remove(at: i) }
        } else if let v {
            p.append((key, v))
        }
        self = .map(p)
    }
}

// MARK: - The fuzzer

/// Builds and checks scenario variants. One instance per worker (each writes its own files).
struct ScenarioFuzzer {
    /// Folder holding a copy of Scenarios/ (and the synthetic seeds).
    let root: URL
    /// Seed scenarios: path relative to `root` and parsed tree.
    let seeds: [(file: String, text: String, tree: YNode)]
    let worker: Int
    static let registry = GovernanceModel.schema.registry

    /// The kinds of mutation, for the counts table.
    enum Op: String, CaseIterable {
        case deleteKey = "deleted key", duplicateKey = "duplicated key", renameKey = "renamed key", wrongType = "wrong type"
        case hugeNumber = "huge number", negativeNumber = "negative number", zeroNumber = "zero"
        case nanNumber = "NaN", infiniteNumber = "infinite number", oddNumber = "odd numeric text"
        case emptyList = "empty list / mapping", deepNesting = "deep nesting", insertParameter = "inserted parameter (in or out of range)"
        case sectionEntry = "timeline / projects / targets / communities entry", extendsChange = "extends changed (cycles, missing, devices)"
        case nonUTF8 = "non-UTF-8 bytes", truncation = "truncation at a random offset", controlBytes = "control bytes / NUL"
        case lineEdit = "line deleted, duplicated or re-indented", flowNesting = "deep flow nesting [[[…]]]"
        case oversize = "oversized file (> 4 MB)", aliases = "YAML anchors and aliases", encodingNoise = "BOM, CRLF, tabs"
        case longText = "very long key or value"
    }

    struct Variant {
        var seed: String
        var ops: [Op]
        var bytes: [UInt8]
        /// Extra files the variant needs (relative to the seed's folder): name → bytes.
        var aux: [(String, [UInt8])] = []
        var summary: String { "\(seed) ⟵ \(ops.map(\.rawValue).joined(separator: " + "))" }
    }

    var fileName: String { "fuzz-w\(worker).yaml" }

    // Nasty scalars by kind.
    static let huge = ["1e308", "1.7976931348623157e308", "1e309", "9223372036854775807", "9223372036854775808", "18446744073709551616",
                       "99999999999999999999999999", "2000001", "1e15", "4294967296", "1_000_000_000_000"]
    static let negative = ["-1", "-0.5", "-1e-300", "-9223372036854775808", "-9223372036854775809", "-1e308", "-600", "-0.0001"]
    static let zeros = ["0", "0.0", "-0", "-0.0", "+0", "0e0", "000", "0.000000000000000000001"]
    static let nans = [".nan", ".NaN", ".NAN", "nan", "NaN", "-.nan"]
    static let infinities = [".inf", "-.inf", ".Inf", "+.inf", "inf", "-inf", "Infinity", "1e999", "-1e999"]
    static let odd = ["0x10", "0o17", "1_000", "1__0", "1e", "e5", ".", "-", "+", "--1", "1.2.3", "1,5", "٣", "１２", "5e-324",
                      "0.1e-320", "2.5", "1/2", "true", "false", "yes", "no", "on", "off", "null", "~", "''", "\"1\"", "'0.5'",
                      "[1]", "{a: 1}", "!!int 3", "!!str 0.5", "!!float x", "&a 1", "*a", "%", "@", "`x`", "? x", "|", ">"]
    static let wrongTypes: [YNode] = [
        .seq([]), .map([]), .seq([.scalar("1", quoted: false), .scalar("2", quoted: false)]), .map([("x", .scalar("1", quoted: false))]),
        .null, .scalar("text", quoted: true), .scalar("0.5", quoted: true), .scalar("true", quoted: true), .scalar("yes", quoted: false),
        .scalar("hello world", quoted: false), .seq([.seq([.map([])])]), .scalar("", quoted: true),
    ]

    /// Variant `index`: a pure function of the seed and the index.
    func variant(_ index: Int, masterSeed: UInt64) -> Variant {
        var rng = SplitMix64(Seeds.mix(masterSeed ^ Seeds.mix(UInt64(index))))
        let seed = seeds[rng.int(seeds.count)]
        var tree = seed.tree
        var ops: [Op] = []
        var aux: [(String, [UInt8])] = []
        let treeOps = rng.int(in: 1...3)
        for _ in 0..<treeOps {
            let op = rng.pick([Op.deleteKey, .duplicateKey, .renameKey, .wrongType, .hugeNumber, .negativeNumber, .zeroNumber,
                               .nanNumber, .infiniteNumber, .oddNumber, .emptyList, .deepNesting, .insertParameter,
                               .insertParameter, .sectionEntry, .sectionEntry, .extendsChange, .longText])
            if let done = mutate(&tree, op, &rng, &aux) { ops.append(done) }
        }
        var bytes = Array(tree.yaml().utf8)
        if rng.chance(0.3) || ops.isEmpty {
            let op = rng.pick([Op.nonUTF8, .truncation, .truncation, .controlBytes, .lineEdit, .lineEdit, .flowNesting, .aliases,
                               .encodingNoise, .oversize])
            // The oversized file is costly to write: keep it rare.
            let chosen = op == .oversize && rng.int(20) != 0 ? Op.truncation : op
            textMutate(&bytes, chosen, &rng)
            ops.append(chosen)
        }
        return Variant(seed: seed.file, ops: ops, bytes: bytes, aux: aux)
    }

    /// A random parameter value: in range, at a bound, just outside, or nasty.
    static func value(for spec: ParameterSpec, _ rng: inout SplitMix64) -> YNode {
        switch spec.kind {
        case let .double(lo, hi):
            let x: Double = rng.pick([lo, hi, lo + (hi - lo) * rng.unit(), hi.nextUp, lo.nextDown, lo - 1, hi * 2 + 1])
            return .scalar(rng.chance(0.85) ? formatParam(x) : rng.pick(huge + negative + nans + infinities + odd), quoted: false)
        case let .int(lo, hi):
            let x: Double = rng.pick([Double(lo), Double(hi), (Double(lo) + (Double(hi) - Double(lo)) * rng.unit()).rounded(), Double(hi) + 1, Double(lo) - 1, Double(lo) + 0.5])
            return .scalar(rng.chance(0.85) ? formatParam(x) : rng.pick(huge + negative + nans + odd), quoted: false)
        case .bool:
            return .scalar(rng.pick(["true", "false", "True", "FALSE", "yes", "1", "0"]), quoted: rng.chance(0.1))
        case let .choice(c):
            return .scalar(rng.chance(0.8) ? rng.pick(c) : rng.pick(["ALL", "", "none", "all "]), quoted: rng.chance(0.3))
        }
    }

    /// A small value in the parameter's range (used in section entries that should mostly be valid).
    static func validValue(for spec: ParameterSpec, _ rng: inout SplitMix64) -> YNode {
        switch spec.kind {
        case let .double(lo, hi): return .scalar(formatParam(lo + (hi - lo) * rng.unit()), quoted: false)
        case let .int(lo, hi): return .scalar(String(min(hi, lo + rng.int(5))), quoted: false)
        case .bool: return .scalar(rng.chance(0.5) ? "true" : "false", quoted: false)
        case let .choice(c): return .scalar(rng.pick(c), quoted: false)
        }
    }

    /// A random parameter that a timeline may change (not simulation/population/baseline).
    static let timelineParams = registry.specs.filter { !["simulation.", "population.", "baseline."].contains(where: $0.path.hasPrefix) }

    /// Apply one tree mutation; returns the op (or nil when the tree has nothing to apply it to).
    func mutate(_ tree: inout YNode, _ op: Op, _ rng: inout SplitMix64, _ aux: inout [(String, [UInt8])]) -> Op? {
        let all = tree.index()
        let nonRoot = all.filter { !$0.path.isEmpty }.map(\.path)
        let mapsWithKeys = all.filter { $0.kind == .map && $0.children > 0 }.map(\.path)
        let scalars = all.filter { !$0.path.isEmpty && $0.kind == .scalar }.map(\.path)
        func replaceScalar(_ texts: [String]) -> Op? {
            guard !scalars.isEmpty else { return nil }
            let p = rng.pick(scalars)
            let t = rng.pick(texts)
            tree.update(p) { $0 = .scalar(t, quoted: false) }
            return op
        }
        switch op {
        case .deleteKey:
            guard let parent = mapsWithKeys.randomElement(using: &rng) else { return nil }
            tree.update(parent) { n in
                if case var .map(p) = n { p.remove(at: rng.int(p.count)); n = .map(p) }
            }
        case .duplicateKey:
            guard let parent = mapsWithKeys.randomElement(using: &rng) else { return nil }
            let changeValue = rng.chance(0.5)
            tree.update(parent) { n in
                if case var .map(p) = n {
                    let i = rng.int(p.count)
                    var dup = p[i]
                    if changeValue { dup.value = Self.wrongTypes[rng.int(Self.wrongTypes.count)] }
                    p.insert(dup, at: rng.int(p.count + 1))
                    n = .map(p)
                }
            }
        case .renameKey:
            guard let parent = mapsWithKeys.randomElement(using: &rng) else { return nil }
            tree.update(parent) { n in
                if case var .map(p) = n {
                    let i = rng.int(p.count)
                    p[i].key = Self.rename(p[i].key, &rng)
                    n = .map(p)
                }
            }
        case .wrongType:
            guard let p = nonRoot.randomElement(using: &rng) else { return nil }
            let w = Self.wrongTypes[rng.int(Self.wrongTypes.count)]
            tree.update(p) { $0 = w }
        case .hugeNumber: return replaceScalar(Self.huge)
        case .negativeNumber: return replaceScalar(Self.negative)
        case .zeroNumber: return replaceScalar(Self.zeros)
        case .nanNumber: return replaceScalar(Self.nans)
        case .infiniteNumber: return replaceScalar(Self.infinities)
        case .oddNumber: return replaceScalar(Self.odd)
        case .emptyList:
            if rng.chance(0.5) {
                let key = rng.pick(["timeline", "projects", "targets", "communities", "governance", "population", "extends", "version"])
                tree.set(key, rng.chance(0.7) ? .seq([]) : .map([]))
            } else {
                guard let p = nonRoot.randomElement(using: &rng) else { return nil }
                let empty: YNode = rng.chance(0.5) ? .seq([]) : .map([])
                tree.update(p) { $0 = empty }
            }
        case .deepNesting:
            guard let p = nonRoot.randomElement(using: &rng) else { return nil }
            let depth = rng.pick([2, 5, 20, 30, 31, 32, 33, 40])
            let asMap = rng.chance(0.5)
            tree.update(p) { n in
                for _ in 0..<depth { n = asMap ? .map([("a", n)]) : .seq([n]) }
            }
        case .insertParameter:
            let spec = Self.registry.specs[rng.int(Self.registry.specs.count)]
            let value = Self.value(for: spec, &rng)
            if rng.chance(0.6) {
                tree.set(spec.path, value)
            } else {
                // Nested form: section: {rest: value}, merged into an existing section when there is one.
                let parts = spec.path.split(separator: ".").map(String.init)
                var node = value
                for part in parts.dropFirst().reversed() { node = .map([(part, node)]) }
                if case let .map(existing)? = tree[parts[0]], case let .map(add) = node {
                    tree.set(parts[0], .map(existing + add))
                } else {
                    tree.set(parts[0], node)
                }
            }
        case .sectionEntry:
            sectionEntry(&tree, &rng)
        case .extendsChange:
            extendsChange(&tree, &rng, &aux)
        case .longText:
            let long = String(repeating: rng.pick(["a", "é", "户", "9", " ", "."]), count: rng.pick([300, 5000, 70000]))
            if rng.chance(0.5) {
                tree.set(long, .scalar("1", quoted: false))
            } else {
                guard let p = scalars.randomElement(using: &rng) else { return nil }
                tree.update(p) { $0 = .scalar(long, quoted: rng.chance(0.5)) }
            }
        default:
            return nil
        }
        return op
    }

    static func rename(_ k: String, _ rng: inout SplitMix64) -> String {
        var c = Array(k)
        switch rng.int(12) {
        case 0: if !c.isEmpty { c.remove(at: rng.int(c.count)) }
        case 1: c.insert(rng.pick(Array("abcxyz_.-0 ")), at: rng.int(c.count + 1))
        case 2: if c.count > 1 { let i = rng.int(c.count - 1); c.swapAt(i, i + 1) }
        case 3: return k.uppercased()
        case 4: return k + " "
        case 5: return ""
        case 6: return k + "\nx"
        case 7: return "户数"
        case 8: return k.replacingOccurrences(of: ".", with: "..")
        case 9: return "." + k
        case 10: return k + "." + rng.pick(["enabled", "x", "", "days"])
        default: return rng.pick(["version", "extends", "name", "timeline", "projects", "targets", "communities", "description"])
        }
        return String(c)
    }

    /// Add (or replace) a timeline / projects / targets / communities entry with random fields.
    func sectionEntry(_ tree: inout YNode, _ rng: inout SplitMix64) {
        func num(_ valid: () -> String) -> YNode {
            .scalar(rng.chance(0.85) ? valid() : rng.pick(Self.huge + Self.negative + Self.nans + Self.infinities + Self.odd), quoted: false)
        }
        var entry: [(key: String, value: YNode)] = []
        let section = rng.pick(["timeline", "projects", "targets", "communities"])
        switch section {
        case "timeline":
            entry.append(("day", num { String(rng.int(in: 0...800)) }))
            if rng.chance(0.3) { entry.append(("note", .scalar("fuzz", quoted: true))) }
            var set: [(key: String, value: YNode)] = []
            for _ in 0..<rng.int(in: 0...3) {
                let pool = rng.chance(0.9) ? Self.timelineParams : Self.registry.specs
                let spec = pool[rng.int(pool.count)]
                set.append((spec.path, rng.chance(0.8) ? Self.validValue(for: spec, &rng) : Self.value(for: spec, &rng)))
            }
            entry.append(("set", rng.chance(0.9) ? .map(set) : .seq([])))
        case "projects":
            entry.append(("cost", num { String(rng.int(in: 0...5_000_000)) }))
            if rng.chance(0.7) { entry.append(("category", .scalar(rng.pick(AmenityCategory.allCases.map(\.name) + ["spaceport"]), quoted: false))) }
            if rng.chance(0.6) { entry.append(("start_day", num { String(rng.int(in: 0...100)) })) }
            if rng.chance(0.5) { entry.append(("funding_days", num { String(rng.int(in: 1...60)) })) }
            if rng.chance(0.5) { entry.append(("duration_days", num { String(rng.int(in: 1...60)) })) }
            if rng.chance(0.4) { entry.append(("fiscal_share", num { formatParam(rng.unit()) })) }
            if rng.chance(0.3) { entry.append(("by_floor", .scalar(rng.pick(["true", "false", "maybe"]), quoted: false))) }
            if rng.chance(0.3) { entry.append(("enterprise_pledge", num { String(rng.int(in: 0...100_000)) })) }
            if rng.chance(0.3) { entry.append(("gain", num { formatParam(rng.unit()) })) }
        case "targets":
            entry.append(("figure", .scalar("fuzz figure", quoted: true)))
            entry.append(("metric", .scalar(rng.chance(0.9) ? rng.pick(Output.names) : "happiness", quoted: false)))
            if rng.chance(0.5) { entry.append(("measure", .scalar(rng.pick(Target.Measure.allCases.map(\.rawValue) + ["sum"]), quoted: false))) }
            entry.append(("day", num { String(rng.int(in: 0...800)) }))
            if rng.chance(0.5) { entry.append(("before_day", num { String(rng.int(in: 0...400)) })) }
            entry.append(("published", num { formatParam(rng.unit()) }))
            entry.append(("tolerance", num { formatParam(rng.unit() / 10) }))
            entry.append(("tolerance_reason", .scalar("fuzz", quoted: true)))
            entry.append(("source", .scalar("fuzz", quoted: true)))
        default:
            entry.append(("name", .scalar("c\(rng.int(1000))", quoted: false)))
            if rng.chance(0.6) { entry.append(("count", num { String(rng.int(in: 1...3)) })) }
            var set: [(key: String, value: YNode)] = [("population.households", num { String(rng.int(in: 1...80)) })]
            for _ in 0..<rng.int(in: 0...2) {
                let spec = Self.registry.specs[rng.int(Self.registry.specs.count)]
                set.append((spec.path, rng.chance(0.8) ? Self.validValue(for: spec, &rng) : Self.value(for: spec, &rng)))
            }
            entry.append(("set", .map(set)))
        }
        var list: [YNode] = []
        if case let .seq(existing)? = tree[section], rng.chance(0.5) { list = existing }
        list.insert(.map(entry), at: rng.int(list.count + 1))
        tree.set(section, .seq(list))
    }

    /// Point `extends` somewhere interesting: itself, a two-file cycle, a long chain, a missing
    /// file, a folder, a device, a FIFO, a binary, a broken base, or not a path at all.
    func extendsChange(_ tree: inout YNode, _ rng: inout SplitMix64, _ aux: inout [(String, [UInt8])]) {
        let me = fileName
        let b = "fuzz-w\(worker)-b.yaml"
        let target: YNode
        switch rng.int(14) {
        case 0: target = .scalar(me, quoted: false)
        case 1:
            aux.append((b, Array("version: 1\nextends: \(me)\n".utf8)))
            target = .scalar(b, quoted: false)
        case 2:
            // A chain longer than the limit, or just within it.
            let n = rng.pick([3, ScenarioLoader.maxExtendsDepth - 1, ScenarioLoader.maxExtendsDepth + 2])
            for k in 0..<n {
                let next = k == n - 1 ? "version: 1\n" : "version: 1\nextends: fuzz-w\(worker)-chain\(k + 1).yaml\n"
                aux.append(("fuzz-w\(worker)-chain\(k).yaml", Array(next.utf8)))
            }
            target = .scalar("fuzz-w\(worker)-chain0.yaml", quoted: false)
        case 3: target = .scalar("missing-\(rng.int(100)).yaml", quoted: false)
        case 4: target = .scalar(rng.pick([".", "/", "..", "/tmp"]), quoted: false)
        case 5:
            // Devices, and files under /proc and /sys that report a size of 0 (or 4096)
            // whatever they hold (issue 18: /proc/self/pagemap grew to 6 GB).
            target = .scalar(rng.pick(["/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/status", "/proc/self/pagemap",
                                       "/proc/self/mem", "/proc/self/environ", "/proc/kcore", "/sys/kernel/mm/transparent_hugepage/enabled"]), quoted: false)
        case 6: target = .scalar(FuzzTests.fifoPath, quoted: false)
        case 7: target = .scalar(FuzzTests.binaryPath, quoted: false)
        case 8:
            // A broken copy of a seed as the base.
            var base = Array(seeds[rng.int(seeds.count)].text.utf8)
            textMutate(&base, rng.pick([.truncation, .nonUTF8, .controlBytes, .lineEdit]), &rng)
            aux.append(("fuzz-w\(worker)-base.yaml", base))
            target = .scalar("fuzz-w\(worker)-base.yaml", quoted: false)
        case 9: target = .scalar("", quoted: true)
        case 10: target = rng.pick([.seq([.scalar("base.yaml", quoted: false)]), .map([("a", .null)]), .null])
        case 11: target = .scalar(rng.pick(["base.yaml", "five-pillars.yaml", "traditional.yaml", "../base.yaml", "cases/_shared.yaml"]), quoted: false)
        case 12: target = .scalar(root.appendingPathComponent("base.yaml").path, quoted: false)
        default: target = .scalar("base.yaml\u{0}x", quoted: true)
        }
        tree.set("extends", target)
    }

    /// Byte-level mutations of the emitted text.
    func textMutate(_ b: inout [UInt8], _ op: Op, _ rng: inout SplitMix64) {
        func offset() -> Int { rng.int(b.count + 1) }
        switch op {
        case .truncation:
            b = Array(b.prefix(offset()))
        case .nonUTF8:
            let bad: [[UInt8]] = [[0xFF], [0xFE, 0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82]]
            for _ in 0..<rng.int(in: 1...3) { b.insert(contentsOf: rng.pick(bad), at: offset()) }
        case .controlBytes:
            for _ in 0..<rng.int(in: 1...3) { b.insert(rng.pick([0, 1, 7, 8, 0x0B, 0x0C, 0x1B, 0x7F, 0x0D, 0x09]), at: offset()) }
        case .lineEdit:
            var lines = b.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            guard !lines.isEmpty else { return }
            let i = rng.int(lines.count)
            switch rng.int(4) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: rng.int(lines.count + 1))
            case 2: lines[i] = Array(repeating: UInt8(ascii: " "), count: rng.int(in: 1...5)) + lines[i]
            default: lines[i] = Array(lines[i].drop { $0 == UInt8(ascii: " ") })
            }
            b = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        case .flowNesting:
            let depth = rng.pick([31, 32, 33, 100, 1000, 10_000, 100_000, 1_000_000])
            let open = rng.chance(0.5) ? "[" : "{a: "
            let close = open == "[" ? "]" : "}"
            let line = "deep: " + String(repeating: open, count: depth) + "1" + String(repeating: close, count: rng.chance(0.9) ? depth : depth / 2) + "\n"
            b += Array(line.utf8)
        case .aliases:
            let texts = [
                "anchor: &x 0.5\nalias: *x\n",
                "governance:\n  whistle: &w\n    enabled: true\n  photo: *w\n",
                // "Billion laughs": 9^7 nodes once expanded.
                "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                    + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
                "<<: {population.households: 5}\n",
                "x: *undefined\n",
                // Issue 18: aliases, anchors and lists as keys (an alias bomb as a key hung
                // Yams' duplicate-key check), and tags (`!!str 200` was read as a number).
                "k: &k simulation\n? *k\n: 1\n",
                "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n? *c\n: 1\n? *c\n: 2\n",
                "? [*undefined, x]\n: 1\n",
                "? &key name\n: x\n",
                "{? {a: 1}: 2}: 3\n",
                "population: {households: !!str 200}\n",
                "simulation: !!map {days: 40}\n",
                "population: {households: !custom 5}\n",
            ]
            b += Array(rng.pick(texts).utf8)
        case .encodingNoise:
            switch rng.int(4) {
            case 0: b = [0xEF, 0xBB, 0xBF] + b
            case 1: b = Array(String(decoding: b, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
            case 2: b = Array(String(decoding: b, as: UTF8.self).replacingOccurrences(of: "  ", with: "\t").utf8)
            default: b = [0xFF, 0xFE] + Array(String(decoding: b, as: UTF8.self).utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })
            }
        case .oversize:
            let filler = Array("# padding padding padding padding padding padding padding padding\n".utf8)
            var big = b
            big.reserveCapacity(ConfigNode.maxBytes + 2 * filler.count)
            while big.count <= ConfigNode.maxBytes { big += filler }
            b = big
        default: break
        }
    }
}

// MARK: - Checks shared with the property tests

/// Outputs computed on every observation day whatever the scenario: never NaN.
let alwaysMeasuredOutputs: Set<Output> = [
    .participationRate, .eliteCapture, .volunteersActive, .satisfactionRate, .satisfactionMean, .trustMean, .feeCollection,
    .complaints, .disputes, .problemsOpen, .resolutions, .fundingFiscal, .fundingResidents, .fundingEnterprise,
    .fundingCrowdfunding, .fundingCharity, .fundingPartner, .fundingTimeBank, .projectsCompleted, .amenityMean, .partnersActive,
    .spaceRevived, .publicBenefitHours, .microfundInflow, .microfundBalance, .staffEffort, .pointsOutstanding, .incentiveCost,
]

/// Problems with one row of outputs: infinities, NaN where something is always measured,
/// shares outside [0, 1], negative values.
func outputProblems(_ row: [Double]) -> [String] {
    var out: [String] = []
    guard row.count == Output.allCases.count else { return ["\(row.count) outputs, expected \(Output.allCases.count)"] }
    for (k, o) in Output.allCases.enumerated() {
        let x = row[k]
        if x.isInfinite { out.append("\(o.name) = \(x)") }
        if x.isNaN {
            if alwaysMeasuredOutputs.contains(o) { out.append("\(o.name) is NaN but is always measured") }
            continue
        }
        if o.isShare, !(x >= 0 && x <= 1) { out.append("\(o.name) = \(x) outside [0, 1]") }
        if x < 0 { out.append("\(o.name) = \(x) < 0") }
    }
    return out
}

/// A valid scenario cut down to run in milliseconds: at most `days` days (and warm-up days)
/// and `households` households (smaller values are kept — they are edge cases), timeline entries moved inside
/// the run, targets dropped (they only name days to measure), districts cut to 3 entries of at
/// most 2 communities of at most `households` households.
func briefly(_ s: Scenario, days: Int = 45, households: Int = 60) throws -> Scenario {
    var r = s
    let d = min(s.parameters.int("simulation.days"), days)
    r.parameters["simulation.days"] = .int(d)
    r.parameters["population.households"] = .int(min(s.parameters.int("population.households"), households))
    r.parameters["simulation.warmup_days"] = .int(min(s.parameters.int("simulation.warmup_days"), days))
    r.timeline = s.timeline.map { e in
        var e = e
        e.day = min(e.day, d - 1)
        return e
    }
    r.sections["targets"] = nil
    if let c = r.sections[District.section] { r.sections[District.section] = shrinkDistrict(c, households: households) }
    try GovernanceModel.validate(r)
    return r
}

private func shrinkDistrict(_ n: ConfigNode, households: Int) -> ConfigNode {
    guard case let .sequence(items, o) = n else { return n }
    func clamp(_ v: ConfigNode, _ limit: Int) -> ConfigNode {
        if case let .scalar(t, false, so) = v, let x = Double(t), x > Double(limit) { return .scalar(String(limit), quoted: false, so) }
        return v
    }
    func shrinkSet(_ v: ConfigNode) -> ConfigNode {
        guard case let .mapping(pairs, mo) = v else { return v }
        return .mapping(pairs.map { kv in
            if kv.key == "population.households" { return (kv.key, clamp(kv.value, households)) }
            if kv.key == "population", case let .mapping(sub, so) = kv.value {
                return (kv.key, .mapping(sub.map { $0.key == "households" ? ($0.key, clamp($0.value, households)) : $0 }, so))
            }
            return kv
        }, mo)
    }
    return .sequence(items.prefix(3).map { item in
        guard case let .mapping(pairs, io) = item else { return item }
        return .mapping(pairs.map { kv in
            switch kv.key {
            case "count": return (kv.key, clamp(kv.value, 2))
            case "set": return (kv.key, shrinkSet(kv.value))
            default: return kv
            }
        }, io)
    }, o)
}

/// Problems with a ConfigError as shown to the user.
func configErrorProblems(_ e: ConfigError) -> [String] {
    var out: [String] = []
    let d = e.description
    if d.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) { out.append("not one line") }
    if d.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) { out.append("control characters") }
    if e.file.isEmpty || !d.hasPrefix(ConfigError.oneLine(e.file)) { out.append("does not name the file") }
    if e.message.isEmpty { out.append("no message") }
    // The longest legitimate line lists every output name (about 1,200 characters).
    if d.count > 2000 { out.append("\(d.count) characters long") }
    let keyError = ["unknown key", "unknown parameter", "duplicate key", "expected a number in", "expected a whole number in",
                    "expected true or false", "expected a mapping of parameters"].contains { e.message.contains($0) }
    if keyError, e.path == nil { out.append("a key error without the key path") }
    return out
}

// MARK: - The tests

final class Timing: @unchecked Sendable {
    static let shared = Timing()
    let lock = NSLock()
    var total = 0.0, run = 0.0, gen = 0.0
    func addGen(_ x: Double) { lock.lock(); gen += x; lock.unlock() }
    func add(_ x: Double) { lock.lock(); total += x; lock.unlock() }
    func addRun(_ x: Double) { lock.lock(); run += x; lock.unlock() }
}

@Suite("Fuzzing: scenarios and --set", .serialized)
struct FuzzTests {
    /// Master seed of every fuzz variant.
    static let seed: UInt64 = 20_251_129
    /// Scenario variants checked in process.
    static let scenarioVariants = 10_000
    /// `--set` variants checked in process.
    static let setVariants = 3_000
    /// Scenario variants checked through the built binary (validate and run).
    static let binaryVariants = 160
    /// PILLARS_FUZZ_TRACE=1 prints each variant before it is checked (to find one that crashes).
    static let trace = ProcessInfo.processInfo.environment["PILLARS_FUZZ_TRACE"] != nil

    static let fifoPath = FileManager.default.temporaryDirectory.appendingPathComponent("pillars-fuzz-fifo-\(getpid())").path
    static var binaryPath: String {
        let b = PillarsBinary.url.path
        return FileManager.default.fileExists(atPath: b) ? b : "/bin/sh"
    }

    /// A copy of Scenarios/ plus synthetic seeds that exercise the sections (timeline,
    /// projects, targets, a small district), in a fresh folder.
    static func makeSeeds() throws -> (URL, [(file: String, text: String, tree: YNode)]) {
        let fm = FileManager.default
        let root = temporaryFolder("pillars-fuzz")
        let src = bundledScenarios()
        var files: [String] = []
        // Every scenario file; Scenarios/patterns/ holds the patterns file, not a scenario.
        for rel in try fm.subpathsOfDirectory(atPath: src.path).sorted() where rel.hasSuffix(".yaml") && !rel.hasPrefix("patterns/") {
            let to = root.appendingPathComponent(rel)
            try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: src.appendingPathComponent(rel), to: to)
            files.append(rel)
        }
        let synthetic = [
            "seed-sections.yaml": """
            version: 1
            extends: five-pillars.yaml
            name: seed-sections
            simulation.days: 120
            deliberation.enabled: true
            construction.enabled: true
            partners.enabled: true
            sharing.enabled: true
            incentives:
              points: {enabled: true, target: tenant}
              timebank.enabled: true
              volunteers.enabled: true
            evaluation.enabled: true
            timeline:
              - day: 20
                note: start
                set: {governance.whistle.compliance: 0.7, microfund.help_share: 0.2}
              - day: 60
                set:
                  incentives.perks.enabled: true
            projects:
              - name: roof
                category: infrastructure
                cost: 400000
                start_day: 5
                funding_days: 20
                duration_days: 30
                by_floor: true
            targets:
              - figure: participation
                metric: participation_rate
                metric_reason: civic acts
                measure: change
                day: 100
                before_day: 10
                published: 0.1
                tolerance: 0.05
                tolerance_reason: noise
                source: fuzz

            """,
            "seed-district.yaml": """
            version: 1
            extends: base.yaml
            name: seed-district
            simulation.days: 100
            evaluation.enabled: true
            communities:
              - name: a
                count: 2
                set: {population.households: 40, baseline.satisfaction_rate: 0.5}
              - name: b
                set:
                  population:
                    households: 30
                    tenant_share: 0.6

            """,
        ]
        for (name, text) in synthetic.sorted(by: { $0.key < $1.key }) {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
            files.append(name)
        }
        var seeds: [(file: String, text: String, tree: YNode)] = []
        for f in files {
            let text = try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
            seeds.append((f, text, YNode(try ConfigNode.parse(yaml: text, file: f))))
        }
        if !fm.fileExists(atPath: fifoPath) { _ = mkfifo(fifoPath, 0o644) }
        return (root, seeds)
    }

    /// Counts of one fuzz run (per op: variants, valid, clear errors).
    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var variants = 0, valid = 0, errors = 0, ran = 0
        var byOp: [String: (n: Int, valid: Int, errors: Int)] = [:]
        var failures: [String] = []
        var slowest: (Double, String) = (0, "")
        func add(_ ops: [String], valid v: Bool, ran r: Bool, problems: [String], seconds: Double, what: String) {
            lock.lock(); defer { lock.unlock() }
            variants += 1
            if v { valid += 1 } else { errors += 1 }
            if r { ran += 1 }
            for op in Set(ops) {
                var t = byOp[op] ?? (0, 0, 0)
                t.n += 1
                if v { t.valid += 1 } else { t.errors += 1 }
                byOp[op] = t
            }
            if !problems.isEmpty, failures.count < 30 { failures.append("\(what): \(problems.joined(separator: "; "))") }
            if seconds > slowest.0 { slowest = (seconds, what) }
        }
        func report(_ title: String) -> String {
            var s = "fuzz: \(title): \(variants) variants, \(valid) valid (\(ran) ran), \(errors) clear errors, slowest \(String(format: "%.2f", slowest.0)) s (\(slowest.1.prefix(120)))\n"
            for (op, t) in byOp.sorted(by: { $0.key < $1.key }) {
                s += "fuzz:   \(op): \(t.n) variants, \(t.valid) valid, \(t.errors) errors\n"
            }
            return s
        }
    }

    /// Stops the test process if one variant runs far too long (a hang), naming the variant.
    final class Watchdog: @unchecked Sendable {
        let lock = NSLock()
        var current: [Int: (Date, String)] = [:]
        var stopped = false
        let limit: Double
        init(limit: Double) {
            self.limit = limit
            Thread.detachNewThread { [self] in
                while true {
                    Thread.sleep(forTimeInterval: 1)
                    lock.lock()
                    if stopped { lock.unlock(); return }
                    for (_, (start, what)) in current where Date().timeIntervalSince(start) > limit {
                        FileHandle.standardError.write(Data("fuzz: HANG — \(what) has run for more than \(limit) s\n".utf8))
                        exit(3)
                    }
                    lock.unlock()
                }
            }
        }
        func begin(_ worker: Int, _ what: String) { lock.lock(); current[worker] = (Date(), what); lock.unlock() }
        func end(_ worker: Int) { lock.lock(); current[worker] = nil; lock.unlock() }
        func stop() { lock.lock(); stopped = true; lock.unlock() }
    }

    /// Load `path` (with `overrides`), and check: a clear ConfigError, or a valid scenario that
    /// runs briefly with sound outputs. Returns (valid, ran, problems).
    static func check(_ path: String, overrides: [String] = []) -> (Bool, Bool, [String]) {
        let s: Scenario
        let t0 = Date()
        defer { Timing.shared.add(Date().timeIntervalSince(t0)) }
        do {
            s = try GovernanceModel.load(path, overrides: overrides)
        } catch let e as ConfigError {
            return (false, false, configErrorProblems(e).map { "\($0): \(e.description.prefix(300))" })
        } catch {
            return (false, false, ["not a ConfigError: \(type(of: error)) \(error)"])
        }
        let r: Scenario
        do { r = try briefly(s) } catch {
            return (true, false, ["valid, but invalid once cut down to a brief run: \(error)"])
        }
        let t1 = Date()
        let result = GovernanceModel.run(r, replication: 0, masterSeed: 1, recordSeries: true)
        Timing.shared.addRun(Date().timeIntervalSince(t1))
        var problems = outputProblems(result.outputs)
        for row in result.series { problems += outputProblems(Array(row.dropFirst())).map { "day \(Int(row[0])): \($0)" } }
        for row in result.communities ?? [] { problems += outputProblems(row).map { "community: \($0)" } }
        return (true, true, Array(problems.prefix(5)))
    }

    @Test func scenarioVariantsGiveAValidRunOrAClearError() throws {
        let (root, seeds) = try Self.makeSeeds()
        defer { try? FileManager.default.removeItem(at: root) }
        let tally = Tally()
        let watchdog = Watchdog(limit: 60)
        defer { watchdog.stop() }
        let workers = max(1, min(Int(ProcessInfo.processInfo.environment["PILLARS_FUZZ_WORKERS"] ?? "2") ?? 2, Parallel.cores))
        let started = Date()
        _ = try Parallel.map(workers, jobs: workers) { w in
            // Each worker parses its own copy of the seeds: shared trees would make the two
            // threads contend on reference counts.
            let own = try seeds.map { ($0.file, $0.text, YNode(try ConfigNode.parse(yaml: $0.text, file: $0.file))) }
            let fuzzer = ScenarioFuzzer(root: root, seeds: own, worker: w)
            for i in stride(from: w, to: Self.scenarioVariants, by: workers) {
                let tg = Date()
                let v = fuzzer.variant(i, masterSeed: Self.seed)
                let dir = root.appendingPathComponent(v.seed).deletingLastPathComponent()
                let path = dir.appendingPathComponent(fuzzer.fileName)
                try Data(v.bytes).write(to: path)
                for (name, bytes) in v.aux { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
                Timing.shared.addGen(Date().timeIntervalSince(tg))
                if Self.trace, Date().timeIntervalSince(tg) > 0.03 { print("fuzz: slow generation \(Date().timeIntervalSince(tg)) s: variant \(i) \(v.summary)") }
                let what = "variant \(i) (\(v.summary))"
                watchdog.begin(w, what)
                if Self.trace { FileHandle.standardError.write(Data("fuzz: trace: \(what)\n".utf8)) }
                let t0 = Date()
                let (valid, ran, problems) = Self.check(path.path)
                watchdog.end(w)
                tally.add(v.ops.map(\.rawValue), valid: valid, ran: ran, problems: problems, seconds: Date().timeIntervalSince(t0), what: what)
                if !problems.isEmpty {
                    // Keep the failing variant for a look.
                    try? Data(v.bytes).write(to: FileManager.default.temporaryDirectory.appendingPathComponent("pillars-fuzz-failure-\(i).yaml"))
                }
            }
        }
        print("fuzz: timing: check \(Timing.shared.total) s, of which run \(Timing.shared.run) s; generating \(Timing.shared.gen) s")
        print(tally.report("scenario variants in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"), terminator: "")
        #expect(tally.variants == Self.scenarioVariants)
        #expect(tally.valid > Self.scenarioVariants / 20, "too few valid variants to exercise the model")
        #expect(tally.errors > Self.scenarioVariants / 4)
        #expect(tally.failures.isEmpty, "\(tally.failures.joined(separator: "\n"))")
    }

    /// `--set key.path=value` with random paths (real, misspelt, sections, empty, odd) and
    /// values (in range, at the bounds, outside, wrong types, NaN, infinities, odd text).
    @Test func setOverridesGiveAValidRunOrAClearError() throws {
        let (root, _) = try Self.makeSeeds()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["five-pillars.yaml", "traditional.yaml", "seed-sections.yaml", "seed-district.yaml"]
        let specs = ScenarioFuzzer.registry.specs
        let tally = Tally()
        for i in 0..<Self.setVariants {
            var rng = SplitMix64(Seeds.mix(Self.seed ^ 0x5E7 ^ Seeds.mix(UInt64(i))))
            var overrides: [String] = []
            var ops: [String] = []
            for _ in 0..<rng.int(in: 1...3) {
                let spec = specs[rng.int(specs.count)]
                var path = spec.path
                var value: String
                switch rng.int(10) {
                case 0: path = ScenarioFuzzer.rename(path, &rng); ops.append("--set misspelt or odd path")
                case 1: path = rng.pick(["governance", "governance.whistle", "", " ", "version", "name", "timeline", "communities", "=", "a..b"]); ops.append("--set section, reserved or empty path")
                default: ops.append("--set real parameter")
                }
                switch rng.int(6) {
                case 0: value = rng.pick(ScenarioFuzzer.huge + ScenarioFuzzer.negative + ScenarioFuzzer.zeros); ops.append("--set huge, negative or zero value")
                case 1: value = rng.pick(ScenarioFuzzer.nans + ScenarioFuzzer.infinities); ops.append("--set NaN or infinite value")
                case 2: value = rng.pick(ScenarioFuzzer.odd + ["", " ", "\"\"", "'x'", "a=b", "1\n2", "\u{0}", "\"0.5\"", "[1, 2]", "{}"]); ops.append("--set odd text")
                default:
                    if case let .scalar(t, q) = ScenarioFuzzer.value(for: spec, &rng) { value = q ? "\"\(t)\"" : t } else { value = "1" }
                    ops.append("--set value near the range")
                }
                let form = rng.int(8)
                overrides.append(form == 0 ? path + value : form == 1 ? " \(path) = \(value) " : "\(path)=\(value)")
            }
            let file = root.appendingPathComponent(rng.pick(files)).path
            let t0 = Date()
            let (valid, ran, problems) = Self.check(file, overrides: overrides)
            tally.add(ops, valid: valid, ran: ran, problems: problems, seconds: Date().timeIntervalSince(t0), what: "--set \(overrides)")
        }
        print(tally.report("--set variants"), terminator: "")
        #expect(tally.variants == Self.setVariants)
        #expect(tally.valid > 100 && tally.errors > 100)
        #expect(tally.failures.isEmpty, "\(tally.failures.joined(separator: "\n"))")
    }

    /// Bugs the fuzzer found, each as the smallest input that showed it.
    @Test func regressions() throws {
        let dir = temporaryFolder("pillars-fuzz-regressions")
        defer { try? FileManager.default.removeItem(at: dir) }
        func error(_ yaml: String, overrides: [String] = []) throws -> ConfigError {
            let f = dir.appendingPathComponent("r.yaml")
            try Data(yaml.utf8).write(to: f)
            do { _ = try GovernanceModel.load(f.path, overrides: overrides) } catch let e as ConfigError {
                #expect(configErrorProblems(e).isEmpty, "\(configErrorProblems(e)): \(e.description.prefix(300))")
                return e
            }
            Issue.record("expected an error for \(yaml.prefix(200)) \(overrides)")
            return ConfigError(file: "", "")
        }
        let target = "targets:\n  - {figure: f, metric: participation_rate, metric_reason: civic, day: DAY, published: 0.1, tolerance: 0.1, tolerance_reason: r, source: s}\n"
        // A target day too large for an Int trapped (Targets.swift: Int(x) on 1e15 … 1e308).
        for day in ["1e15", "1e300", "9223372036854775808", "-1e300"] {
            #expect(try error("version: 1\n" + target.replacingOccurrences(of: "DAY", with: day)).path == "targets[0].day")
        }
        // Control characters from the input broke the one-line error.
        #expect(try error("version: 1\n", overrides: ["population.households\nx=3"]).description.contains("households\\nx"))
        #expect(!(try error("version: 1\n", overrides: ["population.households=\u{0}"]).description.contains("\u{0}")))
        // Duplicate keys (found by YAML itself) had no key path.
        #expect(try error("version: 1\npopulation:\n  households: 5\n  households: 6\n").path == "households")
        // An empty key had an empty path, so the line named no key.
        #expect(try error("version: 1\n\"\": 1\n").description.contains("\"\": unknown key"))
        // A 70,000-character key: the suggestion search took seconds and the line was 70,000 characters.
        let t0 = Date()
        let long = try error("version: 1\n" + String(repeating: "户", count: 70_000) + ": 1\n")
        #expect(Date().timeIntervalSince(t0) < 2)
        #expect(long.description.count < 2000)
        // Aliases are expanded by the YAML library; a "billion laughs" file stops at the node limit.
        var laughs = "version: 1\na: &a [1,1,1,1,1,1,1,1,1]\n"
        for (n, prev) in zip(["b", "c", "d", "e", "f", "g"], ["a", "b", "c", "d", "e", "f"]) {
            laughs += "\(n): &\(n) [" + Array(repeating: "*\(prev)", count: 9).joined(separator: ",") + "]\n"
        }
        #expect(try error(laughs).message.contains("YAML nodes"))
        // A device or FIFO as a base was reported as "You don't have permission" (and a huge
        // file was read whole before its size was checked).
        let fifo = dir.appendingPathComponent("fifo").path
        _ = mkfifo(fifo, 0o644)
        for base in ["/dev/zero", fifo] {
            #expect(try error("version: 1\nextends: \(base)\n").message.contains("not a regular file"))
        }
    }

    /// Dotted versus nested spellings (issue 18 item 6), over every seed scenario: each file
    /// rewritten with all its parameters dotted gives the same scenario; a child that sets
    /// parameters nested over a dotted base (and dotted over a nested one) wins for every one
    /// of them; and one parameter given both ways in one file is an error naming it.
    @Test func dottedAndNestedSpellingsAgree() throws {
        let (root, seeds) = try Self.makeSeeds()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = GovernanceModel.schema.registry
        let keep = ScenarioSchema.reservedKeys.union(GovernanceModel.schema.sections)
        /// Every parameter of a top-level tree as (dotted path, value), reserved keys and sections aside.
        func leaves(_ n: YNode, _ prefix: String) -> [(String, YNode)] {
            if case let .map(pairs) = n, registry[prefix] == nil {
                return pairs.flatMap { leaves($0.value, prefix + "." + $0.key) }
            }
            return [(prefix, n)]
        }
        var rng = SplitMix64(Self.seed ^ 0x18)
        var files = 0, overrides = 0, duplicates = 0
        for seed in seeds {
            let dir = root.appendingPathComponent(seed.file).deletingLastPathComponent()
            let stem = ((seed.file as NSString).lastPathComponent as NSString).deletingPathExtension
            guard case let .map(pairs) = seed.tree else { continue }
            let original = try GovernanceModel.load(root.appendingPathComponent(seed.file).path)
            var flat: [(key: String, value: YNode)] = []
            var params: [(String, YNode)] = []
            for (k, v) in pairs {
                if keep.contains(k) { flat.append((k, v)); continue }
                let l = leaves(v, k)
                params += l
                flat += l.map { (key: $0.0, value: $0.1) }
            }
            let flatFile = dir.appendingPathComponent("\(stem)-dotted.yaml")
            try Data(YNode.map(flat).yaml().utf8).write(to: flatFile)
            let dotted = try GovernanceModel.load(flatFile.path)
            #expect(dotted.parameters == original.parameters, "\(seed.file): dotted spelling changed the scenario")
            files += 1
            // A child over the dotted file, setting parameters nested (and dotted over nested).
            let chosen = (0..<3).map { _ in rng.pick(registry.specs) }
            var child: [(key: String, value: YNode)] = [("version", .scalar("1", quoted: false)),
                                                        ("extends", .scalar(flatFile.lastPathComponent, quoted: false))]
            var wanted: [String: YNode] = [:]
            for spec in chosen where wanted[spec.path] == nil {
                let v = ScenarioFuzzer.validValue(for: spec, &rng)
                wanted[spec.path] = v
                var node = v
                for part in spec.path.split(separator: ".").dropFirst().reversed() { node = .map([(String(part), node)]) }
                let top = String(spec.path.split(separator: ".")[0])
                if let i = child.firstIndex(where: { $0.key == top }) {
                    child[i].value = .map((child[i].value.mapPairs ?? []) + (node.mapPairs ?? []))
                } else {
                    child.append((top, node))
                }
            }
            let childFile = dir.appendingPathComponent("\(stem)-child.yaml")
            try Data(YNode.map(child).yaml().utf8).write(to: childFile)
            do {
                let sc = try GovernanceModel.load(childFile.path)
                for (path, v) in wanted {
                    overrides += 1
                    if case let .scalar(text, _) = v {
                        let parsed = try? registry[path]!.parse(text, quoted: false).get()
                        #expect(parsed == sc.parameters[path],
                                "\(seed.file): the child's nested \(path): \(text) lost to the base (got \(sc.parameters[path]))")
                    }
                }
            } catch let e as ConfigError {
                // A cross-field check may refuse the random values (e.g. shares summing over 1).
                #expect(!e.message.contains("given twice"), "\(e)")
            }
            // One parameter given both ways in one file.
            if let (path, v) = params.first.map({ ($0.0, $0.1) }), path.contains(".") {
                let parts = path.split(separator: ".").map(String.init)
                var nested = v
                for part in parts.dropFirst().reversed() { nested = .map([(part, nested)]) }
                let both = YNode.map(flat + [(key: parts[0], value: nested)])
                let f = dir.appendingPathComponent("\(stem)-both.yaml")
                try Data(both.yaml().utf8).write(to: f)
                do {
                    _ = try GovernanceModel.load(f.path)
                    Issue.record("\(seed.file): \(path) given dotted and nested was accepted")
                } catch let e as ConfigError {
                    duplicates += 1
                    #expect(e.message.contains("given twice") && e.path == path, "\(e)")
                }
            }
        }
        print("fuzz: dotted versus nested: \(files) scenarios rewritten dotted gave the same parameters; \(overrides) nested overrides over a dotted base all won; \(duplicates) parameters given both ways in one file refused (\"given twice\", with the key path)")
        #expect(files >= 10 && duplicates >= 5)
    }

    /// Issue 18: inputs an adversarial tester found that crashed, hung or were silently
    /// wrong. Each is now a one-line ConfigError naming the file (and key path), or right.
    @Test func issue18Regressions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pillars-fuzz-issue18-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws -> String {
            let f = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: f)
            return f.path
        }
        func error(_ path: String) -> ConfigError? {
            do { _ = try GovernanceModel.load(path); return nil } catch let e as ConfigError {
                #expect(configErrorProblems(e).isEmpty, "\(configErrorProblems(e)): \(e.description.prefix(300))")
                #expect(!e.description.contains("Yams") && !e.description.contains("Node."), "\(e.description.prefix(300))")
                return e
            } catch {
                Issue.record("not a ConfigError: \(error)")
                return nil
            }
        }
        var count = 0
        func refused(_ yaml: String, _ expected: String, path: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
            count += 1
            let e = error(try write("r\(count).yaml", yaml))
            #expect(e?.message.contains(expected) == true, "\(yaml.prefix(120)): \(e?.description.prefix(300) ?? "accepted")", sourceLocation: sourceLocation)
            if let path { #expect(e?.path == path, "\(e?.description.prefix(300) ?? "accepted")", sourceLocation: sourceLocation) }
        }

        // Item 2: more than 65,536 grids (validation allows 100,000) trapped storing the grid as UInt16.
        var p = ParameterSet(defaultsOf: GovernanceModel.schema.registry)
        try p.set("population.grids", number: 70_000)
        try p.set("population.households", number: 70_000)
        try p.set("population.households_per_building", number: 1)
        let settings = Settings(p)
        let hh = Households.make(settings.population, baseline: settings.baseline, propensity: settings.participation,
                                 rng: StreamSet(replicationSeed: 1).stream("population"))
        #expect(hh.grid.max() == 69_999)

        // Item 3: an alias bomb used as a mapping key (Yams hashed the expanded key: minutes, gigabytes).
        var bomb = "version: 1\na: &a [1,1,1,1,1,1,1,1,1]\n"
        for (n, prev) in zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"], ["a", "b", "c", "d", "e", "f", "g", "h", "i"]) {
            bomb += "\(n): &\(n) [" + Array(repeating: "*\(prev)", count: 9).joined(separator: ",") + "]\n"
        }
        let t0 = Date()
        for key in ["? *j\n: 1\n? *j\n: 2\n", "*j : 1\n", "? [*j]\n: 1\n", "{*j : 1}: 2\n", "? &k x\n: 1\n"] {
            try refused(bomb.components(separatedBy: "\n").prefix(2).joined(separator: "\n") + "\n" + key, "a key must be a plain name")
            // With the anchors at full size, the node limit is met first; either way, at once.
            try refused(bomb + key, "YAML nodes")
        }
        #expect(Date().timeIntervalSince(t0) < 5)
        // A complex key printed Swift internals (`sequence(Yams.Node.Sequence(…`).
        try refused("version: 1\n? [a, b]\n: 1\n", "not a list")

        // Item 4: /proc files report size 0, so the size limit never applied (6 GB in 20 s).
        try refused("version: 1\nextends: /proc/self/pagemap\n", "more than \(ConfigNode.maxBytes) bytes")
        #expect(error("/proc/self/pagemap")?.message.contains("more than") == true)

        // Item 6: a base's dotted key beat the child's nested one; dotted and nested in one file were silent.
        _ = try write("grand6.yaml", "version: 1\nsimulation:\n  days: 30\n")
        let base = try write("base6.yaml", "version: 1\nextends: grand6.yaml\nsimulation.days: 50\ngovernance.whistle.enabled: true\n")
        let child = try write("child6.yaml", "version: 1\nextends: \((base as NSString).lastPathComponent)\nsimulation:\n  days: 40\ngovernance:\n  whistle: {enabled: false}\n")
        let sc = try GovernanceModel.load(child)
        #expect(sc.parameters.int("simulation.days") == 40)
        #expect(sc.parameters.bool("governance.whistle.enabled") == false)
        let reverse = try write("base6b.yaml", "version: 1\nsimulation:\n  days: 50\n")
        let child2 = try write("child6b.yaml", "version: 1\nextends: \((reverse as NSString).lastPathComponent)\nsimulation.days: 40\n")
        #expect(try GovernanceModel.load(child2).parameters.int("simulation.days") == 40)
        try refused("version: 1\nsimulation.days: 50\nsimulation:\n  days: 40\n", "given twice in this file (lines 2 and 4)", path: "simulation.days")
        try refused("version: 1\ngovernance:\n  whistle.enabled: true\n  whistle:\n    enabled: false\n", "given twice", path: "governance.whistle.enabled")
        // A misspelt dotted key still names the whole key.
        try refused("version: 1\nsimulaton.days: 5\n", "unknown key", path: "simulaton.days")

        // Item 14: tags were ignored (`!!str 200` read as a number), a base's version was not
        // checked, a quoted version was "a scalar", merit_min > merit_max was accepted.
        try refused("version: 1\npopulation:\n  households: !!str 200\n", "YAML tags (!!str)")
        try refused("version: 1\npopulation:\n  households: !!int 200\n", "YAML tags")
        let base2 = try write("base-v2.yaml", "version: 2\n")
        try refused("version: 1\nextends: \((base2 as NSString).lastPathComponent)\n", "unsupported version 2", path: "version")
        try refused("version: \"1\"\n", "quoted text", path: "version")
        try refused("version: 1\ndeliberation:\n  merit_min: 0.9\n  merit_max: 0.5\n", "must not exceed deliberation.merit_max", path: "deliberation.merit_min")
        // An unreadable base (here: a path through a regular file) was "not found".
        try refused("version: 1\nextends: \((base2 as NSString).lastPathComponent)/x.yaml\n", "Not a directory")
        print("fuzz: issue 18 regressions: \(count) files refused with one line; 70,000 grids built; dotted and nested overrides agree")
    }

    /// A sample of the variants through the built binary: `validate` and a brief `run`. Exit
    /// code 0, or 1…125 with exactly one line on stderr (never a crash: no signal, no 134/139).
    @Test func binaryGivesAnExitCodeAndOneLine() throws {
        guard FileManager.default.isExecutableFile(atPath: PillarsBinary.url.path) else {
            Issue.record("the pillars binary was not built at \(PillarsBinary.url.path)")
            return
        }
        let (root, seeds) = try Self.makeSeeds()
        defer { try? FileManager.default.removeItem(at: root) }
        let fuzzer = ScenarioFuzzer(root: root, seeds: seeds, worker: 9)
        var codes: [Int32: Int] = [:]
        var failures: [String] = []
        for k in 0..<Self.binaryVariants {
            // Every 61st in-process variant, so the sample spreads over the seeds and ops.
            let i = k * 61
            let v = fuzzer.variant(i, masterSeed: Self.seed)
            let dir = root.appendingPathComponent(v.seed).deletingLastPathComponent()
            let path = dir.appendingPathComponent(fuzzer.fileName)
            try Data(v.bytes).write(to: path)
            for (name, bytes) in v.aux { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
            let out = root.appendingPathComponent("out-\(k)").path
            let args = k % 2 == 0
                ? ["validate", path.path]
                : ["run", path.path, "--reps", "2", "--jobs", "2", "--quiet", "--out", out, "--set", "simulation.days=30", "--set", "population.households=40"]
            let r = try PillarsBinary.run(args, timeout: 60)
            codes[r.status, default: 0] += 1
            let lines = r.err.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            var bad: [String] = []
            if r.timedOut { bad.append("hung (killed after 60 s)") }
            if r.signalled { bad.append("killed by signal \(r.status)") }
            if !(r.status == 0 || (1...125).contains(r.status)) { bad.append("exit code \(r.status)") }
            if r.status != 0, lines.count != 1 { bad.append("\(lines.count) lines on stderr: \(r.err.prefix(300))") }
            if r.status == 0, !r.err.isEmpty, args[0] == "run" { bad.append("stderr on success: \(r.err.prefix(200))") }
            if !bad.isEmpty { failures.append("variant \(i) (\(v.summary)) \(args[0]): \(bad.joined(separator: "; "))") }
        }
        print("fuzz: binary: \(Self.binaryVariants) variants (validate and run), exit codes \(codes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
        #expect(codes[0, default: 0] > 0 && codes[2, default: 0] > 0)
    }
}
