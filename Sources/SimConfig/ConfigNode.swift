import SimCore
import Foundation
import Yams

/// A parsed configuration tree that remembers where each node came from. Built from
/// YAML (via Yams) with limits on size and depth, so hostile files fail cleanly.
public indirect enum ConfigNode: Sendable, Equatable {
    case scalar(String, quoted: Bool, Origin)
    case mapping([(key: String, value: ConfigNode)], Origin)
    case sequence([ConfigNode], Origin)
    case null(Origin)

    public static func == (a: ConfigNode, b: ConfigNode) -> Bool {
        switch (a, b) {
        case let (.scalar(x, qx, _), .scalar(y, qy, _)): return x == y && qx == qy
        case let (.mapping(x, _), .mapping(y, _)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.sequence(x, _), .sequence(y, _)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    public var origin: Origin {
        switch self {
        case let .scalar(_, _, o), let .mapping(_, o), let .sequence(_, o), let .null(o): return o
        }
    }
    /// A word for error messages: "a mapping", "a list", "a scalar", "null".
    public var kindName: String {
        switch self {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .null: "nothing (null)"
        }
    }
    /// The value for `key` in a mapping.
    public subscript(key: String) -> ConfigNode? {
        if case let .mapping(pairs, _) = self { return pairs.first { $0.key == key }?.value }
        return nil
    }

    /// Limits that keep hostile input from exhausting memory or the stack.
    public static let maxDepth = 32
    public static let maxNodes = 200_000
    public static let maxBytes = 4 << 20

    /// Parse YAML text from `file` into a tree. Errors name the file and line.
    public static func parse(yaml text: String, file: String) throws -> ConfigNode {
        // Aliases used as keys, tags and alias bombs are refused before Yams composes the tree.
        try YAMLPrescan.check(text, file: file, maxNodes: maxNodes)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let YamlError.duplicatedKeysInMapping(keys, context) {
            // A key path, like the loader's own duplicate-key error.
            throw ConfigError(file: file, line: context.mark.line, path: keys.sorted().joined(separator: ", "), "duplicate key")
        } catch let e as YamlError {
            throw ConfigError(file: file, line: yamlLine(e), "not valid YAML: \(yamlProblem(e))")
        } catch {
            throw ConfigError(file: file, "not valid YAML: \(error)")
        }
        guard let node else { throw ConfigError(file: file, "the file is empty; expected a mapping of scenario keys") }
        var count = 0
        return try convert(node, file: file, depth: 0, count: &count)
    }

    /// Read and parse a YAML file, with clear errors for a missing, unreadable,
    /// oversized, non-UTF-8 or empty file.
    public static func load(file path: String) throws -> ConfigNode {
        // Check the kind before reading: a device (/dev/zero), a FIFO or a folder would
        // otherwise be read without end. stat follows symbolic links.
        var info = stat()
        guard stat(path, &info) == 0 else {
            let e = errno
            if e == ENOENT { throw ConfigError(file: path, "no such file") }
            throw ConfigError(file: path, "cannot be read: \(String(cString: strerror(e)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ConfigError(file: path, "is a directory; expected a YAML scenario file")
        default: throw ConfigError(file: path, "is not a regular file (a device, pipe or socket); expected a YAML scenario file")
        }
        if info.st_size > maxBytes {
            throw ConfigError(file: path, "is \(info.st_size) bytes; a scenario may be at most \(maxBytes) bytes")
        }
        // Files under /proc report a size of 0 whatever they hold: read at most one byte past
        // the limit, so the limit holds for them too.
        let data = try readBounded(path, limit: maxBytes)
        guard data.count <= maxBytes else {
            throw ConfigError(file: path, "holds more than \(maxBytes) bytes; a scenario may be at most \(maxBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "is not UTF-8 text; expected a YAML scenario file")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ConfigError(file: path, "the file is empty; expected a mapping of scenario keys")
        }
        return try parse(yaml: text, file: path)
    }

    /// `path`'s bytes, stopping once more than `limit` were read.
    static func readBounded(_ path: String, limit: Int) throws -> Data {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ConfigError(file: path, "cannot be read: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // Whole chunks (some /proc files take reads of 8-byte multiples only), so at most one
        // chunk past the limit.
        let chunk = 1 << 16
        var bytes = [UInt8](repeating: 0, count: limit + chunk)
        var count = 0
        while count <= limit {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, chunk) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ConfigError(file: path, "cannot be read: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            count += n
        }
        return Data(bytes[..<count])
    }

    private static func convert(_ n: Node, file: String, depth: Int, count: inout Int) throws -> ConfigNode {
        count += 1
        let origin = Origin(file: file, line: n.mark.map { $0.line })
        guard count <= maxNodes else {
            throw ConfigError(at: origin, "more than \(maxNodes) YAML nodes (after expanding aliases); a scenario is far smaller")
        }
        guard depth <= maxDepth else {
            throw ConfigError(at: origin, "nested deeper than \(maxDepth) levels; a scenario needs only a few")
        }
        switch n {
        case let .scalar(s):
            if s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) {
                return .null(origin)
            }
            return .scalar(s.string, quoted: s.style != .plain && s.style != .any, origin)
        case let .mapping(m):
            var pairs: [(key: String, value: ConfigNode)] = []
            var seen = Set<String>()
            for (k, v) in m {
                guard case let .scalar(ks) = k else {
                    throw ConfigError(at: Origin(file: file, line: k.mark?.line), "a key must be a plain name, not \(ConfigNode.kindWord(k))")
                }
                let key = ks.string
                guard seen.insert(key).inserted else {
                    throw ConfigError(file: file, line: k.mark?.line, path: key, "duplicate key")
                }
                pairs.append((key, try convert(v, file: file, depth: depth + 1, count: &count)))
            }
            return .mapping(pairs, origin)
        case let .sequence(sq):
            return .sequence(try sq.map { try convert($0, file: file, depth: depth + 1, count: &count) }, origin)
        case let .alias(a):
            throw ConfigError(at: origin, "YAML aliases (*\(a)) are not supported in scenarios; write the value out")
        }
    }

    /// "a list", "a mapping", "an alias" for a Yams node (never its Swift description).
    static func kindWord(_ n: Node) -> String {
        switch n {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private static func yamlLine(_ e: YamlError) -> Int? {
        switch e {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        default: return nil
        }
    }
    private static func yamlProblem(_ e: YamlError) -> String {
        switch e {
        case let .scanner(ctx, problem, _, _), let .parser(ctx, problem, _, _), let .composer(ctx, problem, _, _):
            return [ctx?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case let .reader(problem, _, _, _): return problem
        case let .duplicatedKeysInMapping(d, _): return "duplicate keys \(d.joined(separator: ", "))"
        default: return "\(e)"
        }
    }

    /// Deep merge: mappings merge key by key (`over` wins); anything else is replaced by `over`.
    public static func merge(_ base: ConfigNode, _ over: ConfigNode) -> ConfigNode {
        guard case let .mapping(bp, _) = base, case let .mapping(op, oo) = over else { return over }
        var out = bp
        for (k, v) in op {
            if let i = out.firstIndex(where: { $0.key == k }) {
                out[i].value = merge(out[i].value, v)
            } else {
                out.append((k, v))
            }
        }
        return .mapping(out, oo)
    }
}
