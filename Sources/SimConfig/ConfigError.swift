import SimCore
/// A configuration error that names the file, the key path (and line where known)
/// and what was expected. Its description is one line, fit for a terminal.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var path: String?
    public var message: String

    public init(file: String, line: Int? = nil, path: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }
    public init(at origin: Origin, path: String? = nil, _ message: String) {
        self.init(file: origin.file, line: origin.line, path: path, message)
    }

    public var description: String {
        // The file too: a base named by a 70,000-character `extends` is echoed as the file.
        var s = Self.shortened(file)
        if let line { s += ":\(line)" }
        s += ": "
        if let path { s += path.isEmpty ? "\"\": " : "\(Self.shortened(path)): " }
        return Self.oneLine(s + Self.shortened(message))
    }

    /// `text` with every word (run of non-spaces) longer than 200 characters cut to its first
    /// 120 and last 40 around "…", and the whole cut to 1,600 characters likewise, so a huge key
    /// or value echoed back keeps the line readable.
    public static func shortened(_ text: String) -> String {
        guard text.count > 200 else { return text }
        let words: String = text.split(separator: " ", omittingEmptySubsequences: false).map { w -> String in
            w.count > 200 ? String(w.prefix(120)) + "…(\(w.count) characters)…" + String(w.suffix(40)) : String(w)
        }.joined(separator: " ")
        guard words.count > 1600 else { return words }
        return String(words.prefix(1200)) + "…(\(words.count) characters)…" + String(words.suffix(200))
    }

    /// `text` with control characters escaped (a newline as \n, others as \u{…}), so a
    /// message quoting user input (a key or --set value with a newline or NUL) stays one line.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F: out += "\\u{\(String(u.value, radix: 16))}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

/// Where a configuration value came from: a file and line, or the command line.
public struct Origin: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }
    public static let commandLine = Origin(file: "--set")
    public static let defaults = Origin(file: "(default)")
    public var description: String { line.map { "\(file):\($0)" } ?? file }
}
