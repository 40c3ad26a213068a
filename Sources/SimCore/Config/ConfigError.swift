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
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let path, !path.isEmpty { s += "\(path): " }
        return s + message
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
