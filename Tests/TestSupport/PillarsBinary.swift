import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a finished run of a process left: its exit status (or signal), what it wrote, and
/// whether it was killed for running too long.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    public var out: String
    public var err: String
    /// Ended by a signal (`status` is then the signal number).
    public var signalled: Bool
    /// Killed (SIGKILL) after the timeout.
    public var timedOut: Bool
}

/// The built `pillars` binary and the one way tests run it.
public enum PillarsBinary {
    /// Next to the test bundle (as SwiftPM lays out a build), else `.build/debug/pillars`.
    public static var url: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pillars"),
            Bundle.main.bundleURL.appendingPathComponent("pillars"),
            repositoryRoot.appendingPathComponent(".build/debug/pillars"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    /// Start the binary with `args` in `cwd` without waiting; stdout is discarded, stderr too
    /// unless a handle is given.
    public static func start(_ args: [String], cwd: URL = repositoryRoot, standardError: FileHandle? = nil) throws -> Process {
        let p = Process()
        p.executableURL = url
        p.arguments = args
        p.currentDirectoryURL = cwd
        p.standardOutput = FileHandle.nullDevice
        p.standardError = standardError ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Run the binary with `args` in `cwd` to the end and return what it wrote. Output goes
    /// through temporary files, so a full pipe can never block the child. With a `timeout`
    /// (seconds), the process is killed with SIGKILL once it has run that long. `environment`
    /// adds to (or overrides) the test process's own.
    public static func run(_ args: [String], cwd: URL = repositoryRoot, timeout: Double? = nil,
                           environment: [String: String] = [:]) throws -> ProcessOutcome {
        let fm = FileManager.default
        let id = UUID().uuidString
        let outURL = fm.temporaryDirectory.appendingPathComponent("pillars-stdout-\(id)")
        let errURL = fm.temporaryDirectory.appendingPathComponent("pillars-stderr-\(id)")
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        defer { try? fm.removeItem(at: outURL); try? fm.removeItem(at: errURL) }
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = url
        p.arguments = args
        p.currentDirectoryURL = cwd
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.standardOutput = outHandle
        p.standardError = errHandle
        try p.run()
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while p.isRunning {
                if Date() > deadline, !timedOut { timedOut = true; kill(p.processIdentifier, SIGKILL) }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        p.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        let text = { (u: URL) in String(decoding: (try? Data(contentsOf: u)) ?? Data(), as: UTF8.self) }
        return ProcessOutcome(status: p.terminationStatus, out: text(outURL), err: text(errURL),
                              signalled: p.terminationReason == .uncaughtSignal, timedOut: timedOut)
    }
}
