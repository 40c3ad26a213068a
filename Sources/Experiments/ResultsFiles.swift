import SimCore
import SimConfig
import Foundation

/// Writing result files safely: whole files go to a temporary name in the same folder and
/// are renamed into place, so a reader never sees half a file and a failed write leaves
/// earlier results untouched.
public enum ResultsFiles {
    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Create `dir` (and parents). Errors say which folder and why.
    public static func makeDirectory(_ dir: URL) throws {
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "\(dir.path): cannot create the output folder (\(reason(error)))")
        }
        guard FileManager.default.isWritableFile(atPath: dir.path) else {
            throw WriteError(description: "\(dir.path): the output folder is not writable")
        }
    }

    /// The names of the files the verbs write into a results folder. Only temporary copies of
    /// these (`.NAME.tmp-PID`) are ever removed as stale; anything else in a folder is the user's.
    public static let resultNames: Set<String> = [
        "manifest.json", "design.json", "sweep.csv", "summary.csv", "replications.csv", "timeseries.csv",
        "communities.csv", "projects.csv", "comparison.csv", "sensitivity.csv", "samples.csv", "cases.csv",
        "outputs.csv", "design.csv", "crossvalidation.csv", "decision.csv", "report.html",
    ]

    /// The temporary name a file is written under before it is renamed into place.
    public static func temporary(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    }

    /// Refuse to rename over `url` unless it is absent or a regular file: a device
    /// (`--out /dev/null`), a folder, a pipe or a symbolic link is left alone.
    public static func checkReplaceable(_ url: URL) throws {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let kind: String
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "a folder"
            case S_IFLNK: kind = "a symbolic link"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFIFO: kind = "a pipe"
            default: kind = "not a regular file"
            }
            throw WriteError(description: "\(url.path): is \(kind), not a results file; it is left as it is (choose another path)")
        }
    }

    /// Write `text` to `url` atomically (temp file + rename). `url` must be absent or a
    /// regular file.
    public static func write(_ text: String, to url: URL) throws {
        try checkReplaceable(url)
        let tmp = temporary(for: url)
        Interrupts.track(tmp)
        defer { Interrupts.untrack(tmp) }
        do {
            try? FileManager.default.removeItem(at: tmp)
            try Publish.writeFile(text, to: tmp)
            var failed: Int32 = 0
            // rename(2) replaces the target atomically within one file system.
            Interrupts.critical { if rename(tmp.path, url.path) != 0 { failed = errno } }
            guard failed == 0 else { throw POSIXError(POSIXErrorCode(rawValue: failed) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw WriteError(description: "\(url.path): cannot write (\(reason(error)))")
        }
    }

    /// Write several files as one (`Publish.files`): all to temporary names first; the
    /// manifest is renamed into place last, so a folder never mixes two runs.
    public static func write(_ files: [(text: String, url: URL)]) throws {
        guard let dir = files.first?.url.deletingLastPathComponent() else { return }
        try Publish.files(files.map { ($0.url.lastPathComponent, $0.text) }, in: dir)
    }

    /// Remove the temporary copies of result files (`.NAME.tmp-PID`, `.NAME.merging-PID`,
    /// NAME one of `resultNames`) that a writer killed mid-write left in `dir`, unless their
    /// process is still running. Other hidden files are the user's and are kept.
    public static func removeStaleTemporaries(in dir: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names where isStaleTemporary(name) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    /// Whether `name` is a temporary copy of a result file whose writer no longer runs.
    public static func isStaleTemporary(_ name: String) -> Bool {
        guard let pid = temporaryOwner(name) else { return false }
        return pid != getpid() && isDead(pid)
    }

    /// The process that writes the temporary copy `name` of a result file, if it is one.
    public static func temporaryOwner(_ name: String) -> Int32? {
        guard name.hasPrefix(".") else { return nil }
        for marker in [".tmp-", ".merging-"] {
            guard let r = name.range(of: marker, options: .backwards), let pid = Int32(name[r.upperBound...]) else { continue }
            let base = String(name[name.index(after: name.startIndex)..<r.lowerBound])
            if resultNames.contains(base) || base.hasSuffix("-predictions.csv") { return pid }
        }
        return nil
    }

    /// Whether no process `pid` exists.
    public static func isDead(_ pid: Int32) -> Bool { kill(pid, 0) != 0 && errno == ESRCH }

    static func reason(_ e: Error) -> String {
        let ns = e as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(u.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}


/// 64-bit FNV-1a of a text as 16 hex digits (a content hash for manifests).
public func contentHash(_ text: String) -> String {
    let h = Seeds.hash(text)
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}
