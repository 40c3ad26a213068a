import SimCore
// Publishing results (issue 18): a results folder is either complete and from one command, or
// visibly incomplete and resumable, never mixed.
//
// - `FolderLock`: an advisory `flock` on the output folder for as long as a command writes it;
//   a second writer is refused with a clear message instead of mixing its files in.
// - `Publish.folder`: every file of a run is written into a temporary sibling folder, then
//   swapped in with one `renameat2(RENAME_EXCHANGE)` (the earlier folder, now under the
//   temporary name, is removed after). A kill at any step leaves the folder either as it was
//   or complete, plus a hidden sibling that the next command on that folder removes.
// - `Publish.pause`: `PILLARS_PAUSE_PUBLISH=step` stops the process at that step (it prints
//   `pillars: paused at STEP` on stderr and sleeps), so a test can SIGKILL it there.
// - `Interrupts`: SIGPIPE is ignored (a closed pipe is an EPIPE, not a lost result); SIGINT
//   and SIGTERM remove the temporary files and folders in flight and exit 130 / 143, keeping
//   everything already published.
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a folder, held until the process exits (or `release()`).
public final class FolderLock: @unchecked Sendable {
    public let url: URL
    private var fd: Int32

    /// Lock `dir`, which must exist. Throws a `ResultsFiles.WriteError` naming the folder when
    /// another process holds the lock (`exclusive`) or an exclusive one (`!exclusive`).
    public init(_ dir: URL, exclusive: Bool = true, what: String = "writing to") throws {
        url = dir
        // The path may be renamed over while we wait (a publish swaps folders): retry until the
        // locked folder is the one at the path.
        for _ in 0..<8 {
            let handle = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard handle >= 0 else {
                throw ResultsFiles.WriteError(description: "\(dir.path): cannot open the folder (\(String(cString: strerror(errno))))")
            }
            if flock(handle, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
                let e = errno
                close(handle)
                if e == EWOULDBLOCK {
                    throw ResultsFiles.WriteError(description: "\(dir.path): another pillars command is \(what) this folder; wait for it to finish or choose another folder")
                }
                throw ResultsFiles.WriteError(description: "\(dir.path): cannot lock the folder (\(String(cString: strerror(e))))")
            }
            var a = stat(), b = stat()
            if fstat(handle, &a) == 0, stat(dir.path, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev {
                fd = handle
                return
            }
            close(handle)
        }
        throw ResultsFiles.WriteError(description: "\(dir.path): the folder keeps being replaced; is another command writing it?")
    }

    public func release() {
        if fd >= 0 { close(fd); fd = -1 }
    }
    deinit { release() }
}

public enum Publish {
    /// Stop here when `PILLARS_PAUSE_PUBLISH` names `step` (for tests that kill a publish at
    /// each step). Prints `pillars: paused at STEP` on stderr, then sleeps until killed.
    public static func pause(_ step: String) {
        guard let wanted = ProcessInfo.processInfo.environment["PILLARS_PAUSE_PUBLISH"], wanted == step else { return }
        writeStandardError("pillars: paused at \(step)\n")
        while true { sleep(3600) }
    }

    /// The hidden sibling names a publish of `dir` uses: `.NAME.tmp-PID` (the new folder
    /// being written, or the earlier one after the swap).
    public static func temporarySibling(of dir: URL, pid: Int32 = getpid()) -> URL {
        dir.deletingLastPathComponent().appendingPathComponent(".\(dir.lastPathComponent).tmp-\(pid)")
    }

    /// Remove the hidden siblings of `dir` left by publishes whose process no longer exists.
    public static func removeStaleSiblings(of dir: URL) {
        let parent = dir.deletingLastPathComponent()
        let prefix = ".\(dir.lastPathComponent).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), ResultsFiles.isDead(pid) else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// Publish `files` (name and text) as the whole content of the folder `dir`, which the
    /// caller has locked (`FolderLock`) and checked. The files are written into a temporary
    /// sibling, which is then exchanged with `dir` in one step; the earlier folder's files are
    /// removed after. A failure before the exchange (a full disk) leaves `dir` as it was.
    ///
    /// Pause steps: `written` (all files in the temporary folder), `exchanged` (the new folder
    /// in place, the earlier one not yet removed); in place, those of `files(_:in:)`.
    ///
    /// `streamed` names files already written into the temporary sibling (`stagingFolder(for:)`),
    /// such as a table streamed row by row while the work ran; they are published with the rest.
    public static func folder(_ files: [(name: String, text: String)], to dir: URL, streamed: [String] = []) throws {
        let temp = temporarySibling(of: dir)
        if streamed.isEmpty {
            removeStaleSiblings(of: dir)
            try? FileManager.default.removeItem(at: temp)
        }
        Interrupts.track(temp)
        defer { Interrupts.untrack(temp) }
        var files = files
        do {
            if streamed.isEmpty { try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: false) }
            for name in streamed {
                // Synced like the files written here; read back only for the in-place fallback below.
                let h = try FileHandle(forUpdating: temp.appendingPathComponent(name))
                try h.synchronize()
                try h.close()
            }
            for f in files {
                try writeFile(f.text, to: temp.appendingPathComponent(f.name))
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw ResultsFiles.WriteError(description: "\(dir.path): cannot write the results (\(ResultsFiles.reason(error)))")
        }
        pause("written")
        // Only a real folder is replaced (a symbolic link or a file in the way is an error).
        var info = stat()
        guard lstat(dir.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            try? FileManager.default.removeItem(at: temp)
            throw ResultsFiles.WriteError(description: "\(dir.path): is no longer a folder; the results were not written")
        }
        var exchanged = false
        Interrupts.critical { exchanged = exchange(temp, dir) }
        guard exchanged else {
            // A mount point, or a file system without RENAME_EXCHANGE: publish in place, the
            // earlier manifest removed first and the new one renamed in last, and the earlier
            // run's other files removed before (a folder without a manifest is incomplete).
            for name in streamed {
                files.append((name, (try? String(contentsOf: temp.appendingPathComponent(name), encoding: .utf8)) ?? ""))
            }
            try? FileManager.default.removeItem(at: temp)
            let names = Set(files.map(\.name))
            let old = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { ResultsFiles.resultNames.contains($0) && !names.contains($0) }
            try Self.files(files, in: dir, removing: old)
            return
        }
        pause("exchanged")
        try? FileManager.default.removeItem(at: temp)
        syncDirectory(dir.deletingLastPathComponent())
    }

    /// The temporary sibling of `dir`, new and empty, for files streamed while the work runs
    /// (then `folder(_:to:streamed:)`); removed if the process is stopped.
    public static func stagingFolder(for dir: URL) throws -> URL {
        let temp = temporarySibling(of: dir)
        removeStaleSiblings(of: dir)
        try? FileManager.default.removeItem(at: temp)
        Interrupts.track(temp)
        do {
            try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: false)
        } catch {
            throw ResultsFiles.WriteError(description: "\(dir.path): cannot write the results (\(ResultsFiles.reason(error)))")
        }
        return temp
    }

    /// Publish `files` into the existing folder `dir` (which holds other things too, e.g. the
    /// shards a merge reads), with `manifest.json` as the mark of a complete set: every file
    /// is first written to a temporary name (`.NAME.tmp-PID`); then an earlier manifest is
    /// removed, the files are renamed into place, and the manifest is renamed last. A kill in
    /// between leaves a folder without a manifest (visibly incomplete), never one whose
    /// manifest describes other files. Targets that are not regular files are refused;
    /// `old` names earlier result files to remove once the manifest is gone.
    ///
    /// Pause steps: `written`, `unmarked` (no manifest), `renamed:NAME` after each rename.
    public static func files(_ files: [(name: String, text: String)], in dir: URL, removing old: [String] = []) throws {
        let ordered = files.filter { $0.name != "manifest.json" } + files.filter { $0.name == "manifest.json" }
        var temps: [URL] = []
        func cleanUp() { for t in temps { try? FileManager.default.removeItem(at: t); Interrupts.untrack(t) } }
        for f in ordered {
            let url = dir.appendingPathComponent(f.name)
            try ResultsFiles.checkReplaceable(url)
            let tmp = ResultsFiles.temporary(for: url)
            temps.append(tmp)
            Interrupts.track(tmp)
            do { try writeFile(f.text, to: tmp) } catch {
                cleanUp()
                throw ResultsFiles.WriteError(description: "\(url.path): cannot write (\(ResultsFiles.reason(error)))")
            }
        }
        pause("written")
        let manifest = dir.appendingPathComponent("manifest.json")
        if ordered.contains(where: { $0.name == "manifest.json" }), FileManager.default.fileExists(atPath: manifest.path) {
            guard unlink(manifest.path) == 0 else {
                cleanUp()
                throw ResultsFiles.WriteError(description: "\(manifest.path): cannot replace (\(String(cString: strerror(errno))))")
            }
            pause("unmarked")
        }
        // Files of an earlier result set that the new one does not have (after the manifest).
        for name in old where name != "manifest.json" { _ = unlink(dir.appendingPathComponent(name).path) }
        for (f, tmp) in zip(ordered, temps) {
            let url = dir.appendingPathComponent(f.name)
            var failed: Int32 = 0
            Interrupts.critical {
                if rename(tmp.path, url.path) != 0 { failed = errno } else { Interrupts.untrack(tmp) }
            }
            guard failed == 0 else {
                cleanUp()
                throw ResultsFiles.WriteError(description: "\(url.path): cannot write (\(String(cString: strerror(failed))))")
            }
            pause("renamed:\(f.name)")
        }
        syncDirectory(dir)
    }

    /// Write `text` to a new file at `url` and sync it.
    public static func writeFile(_ text: String, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += n
        }
        guard fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    static func syncDirectory(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }

    /// `renameat2(a, b, RENAME_EXCHANGE)`: swap two paths in one step. Glibc has it since 2.28
    /// but Swift's Glibc module does not declare it (it needs _GNU_SOURCE), so it is looked up.
    static func exchange(_ a: URL, _ b: URL) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a.path, AT_FDCWD, b.path, renameExchange) == 0
    }
}

/// Write to stderr with one write(2), ignoring errors (a closed stderr must not stop a command).
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// SIGPIPE, SIGINT and SIGTERM as clean stops.
public enum Interrupts {
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var inFlight = Set<String>()
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Ignore SIGPIPE (writes to a closed pipe fail with EPIPE instead of killing the process
    /// before the results are written); on SIGINT or SIGTERM remove the temporary files and
    /// folders in flight and exit with 128 + the signal number. Rows and files already in
    /// place are kept: a stopped sweep is resumable.
    public static func install() {
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                lock.lock()
                for path in inFlight { try? FileManager.default.removeItem(atPath: path) }
                writeStandardError("pillars: stopped by \(sig == SIGINT ? "SIGINT" : "SIGTERM"); results already written are kept\n")
                _exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// A temporary path to remove if the process is stopped.
    public static func track(_ url: URL) { lock.lock(); inFlight.insert(url.path); lock.unlock() }
    public static func untrack(_ url: URL) { lock.lock(); inFlight.remove(url.path); lock.unlock() }

    /// Run `body` (a rename) so that SIGINT/SIGTERM wait for it to finish.
    public static func critical(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body()
    }
}
