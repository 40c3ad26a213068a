// A pass over libyaml's event stream before Yams composes the tree (issue 18, item 3).
//
// Yams checks a mapping's keys for duplicates by hashing each composed key, aliases
// expanded. An alias bomb used as a key (`? *f : 1`, six levels of nine) made that hash walk
// millions of nodes, and the error message then described the whole expanded key: 24 s and
// 1 GB for six levels, 7.6 GB after 12 minutes for nine. Events are cheap: the stream is as
// long as the text, whatever the aliases expand to. So the file is read once as events, and
// refused here, with its line, when a key is anything but a plain scalar, when a tag is given,
// or when the aliases would expand past the node limit.
// CYaml is the libyaml that Yams builds and links (a target of the Yams package, not a
// product); SwiftPM makes a dependency's C modules importable, so no second copy is needed.
import CYaml

enum YAMLPrescan {
    /// Throws a `ConfigError` naming `file` and the line of the first problem.
    static func check(_ text: String, file: String, maxNodes: Int) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            try scan(&parser, file: file, maxNodes: maxNodes)
        }
    }

    /// A container being read: a mapping alternates key and value positions.
    private struct Frame {
        var isMapping: Bool
        var atKey: Bool
        var anchor: String?
        var startTotal: Int
    }

    private static func scan(_ parser: inout yaml_parser_t, file: String, maxNodes: Int) throws {
        var stack: [Frame] = []
        var expanded: [String: Int] = [:]
        var total = 0
        func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        func fail(_ line: Int, _ message: String) -> ConfigError { ConfigError(file: file, line: line, message) }
        while true {
            var event = yaml_event_t()
            // A syntax error: let Yams report it, with its own wording.
            guard yaml_parser_parse(&parser, &event) == 1 else { return }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let type = event.type
            if type == YAML_STREAM_END_EVENT { return }
            let isNode = type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT
                || type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT
            guard isNode || type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT else { continue }
            let atKey = stack.last.map { $0.isMapping && $0.atKey } ?? false
            var tag: String?, anchor: String?
            switch type {
            case YAML_SCALAR_EVENT:
                tag = string(event.data.scalar.tag); anchor = string(event.data.scalar.anchor)
            case YAML_SEQUENCE_START_EVENT:
                tag = string(event.data.sequence_start.tag); anchor = string(event.data.sequence_start.anchor)
            case YAML_MAPPING_START_EVENT:
                tag = string(event.data.mapping_start.tag); anchor = string(event.data.mapping_start.anchor)
            default: break
            }
            if let tag {
                let short = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst(18) : tag
                throw fail(line, "YAML tags (\(short)) are not supported in scenarios; write the value without a tag (quote it for text)")
            }
            if atKey {
                switch type {
                case YAML_ALIAS_EVENT:
                    throw fail(line, "a key must be a plain name, not an alias (*\(string(event.data.alias.anchor) ?? ""))")
                case YAML_SEQUENCE_START_EVENT:
                    throw fail(line, "a key must be a plain name, not a list")
                case YAML_MAPPING_START_EVENT:
                    throw fail(line, "a key must be a plain name, not a mapping")
                default:
                    if let anchor { throw fail(line, "a key must be a plain name, without an anchor (&\(anchor))") }
                }
            }
            if isNode, !stack.isEmpty { stack[stack.count - 1].atKey.toggle() }
            switch type {
            case YAML_SCALAR_EVENT:
                total += 1
                if let anchor { expanded[anchor] = 1 }
            case YAML_ALIAS_EVENT:
                total += string(event.data.alias.anchor).flatMap { expanded[$0] } ?? 1
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                total += 1
                stack.append(Frame(isMapping: type == YAML_MAPPING_START_EVENT, atKey: true, anchor: anchor, startTotal: total - 1))
            default:
                if let frame = stack.popLast(), let a = frame.anchor { expanded[a] = total - frame.startTotal }
            }
            if total > maxNodes {
                throw fail(line, "more than \(maxNodes) YAML nodes (after expanding aliases); a scenario is far smaller")
            }
        }
    }
}
