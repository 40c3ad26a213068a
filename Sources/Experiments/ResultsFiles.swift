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

    /// Write `text` to `url` atomically (temp file + rename).
    public static func write(_ text: String, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try Data(text.utf8).write(to: tmp)
            // rename(2) replaces the target atomically within one file system.
            guard rename(tmp.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw WriteError(description: "\(url.path): cannot write (\(reason(error)))")
        }
    }

    /// Write several files as one: each to a temporary name first, and only when all are
    /// written are they renamed into place. A failed write (a full disk) removes the temporary
    /// files and leaves every earlier file untouched, so a folder never mixes two runs.
    public static func write(_ files: [(text: String, url: URL)]) throws {
        var temps: [(tmp: URL, url: URL)] = []
        func cleanUp() { for t in temps { try? FileManager.default.removeItem(at: t.tmp) } }
        for f in files {
            let tmp = f.url.deletingLastPathComponent().appendingPathComponent(".\(f.url.lastPathComponent).tmp-\(getpid())")
            temps.append((tmp, f.url))
            do { try Data(f.text.utf8).write(to: tmp) } catch {
                cleanUp()
                throw WriteError(description: "\(f.url.path): cannot write (\(reason(error)))")
            }
        }
        for t in temps {
            guard rename(t.tmp.path, t.url.path) == 0 else {
                let e = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                cleanUp()
                throw WriteError(description: "\(t.url.path): cannot write (\(reason(e)))")
            }
        }
    }

    /// Remove the temporary files (`.NAME.tmp-PID`) that a writer killed mid-write left in
    /// `dir`, unless their process is still running. Called when a command takes over a folder
    /// (a resumed sweep, an overwritten run).
    public static func removeStaleTemporaries(in dir: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let r = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[r.upperBound...]) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
            }
        }
    }

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
