import SimCore
import SimConfig
// Crash-safe streamed CSV ("tidy table": one row per design point × replication).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Streams the rows of a sweep to a CSV file so that a crash loses at most the row being
/// written, and a rerun with `resume: true` continues where the last one stopped.
///
/// - Each row is encoded as one line and handed to the kernel with a single POSIX `write`
///   of the whole line (looping only on a short write), so there is no user-space buffer to
///   lose: after `write(_:)` returns the row survives a crash of the process. The file is
///   `fsync`ed every `syncEvery` rows, on `sync()` and on `close()`, which bounds what a
///   power loss can take.
/// - A new file gets the header line. Without `resume`, an existing non-empty file is an
///   error: results are never overwritten.
/// - With `resume`, an existing file is read: its header must equal `header`, a trailing
///   torn (incomplete) record is cut off by truncating the file to the end of the last
///   complete record, and the keys (the first `keyColumns` fields) of the rows already
///   there are in `completedKeys`, so the caller can skip those jobs.
///
/// Writing a row whose key is already in the file throws, so a table never holds the same
/// job twice. Not thread-safe: write from one thread (e.g. the serial sink of
/// `Parallel.forEach`).
public final class TidyTableWriter {
    /// The file written.
    public let url: URL
    /// The column names.
    public let header: [String]
    /// How many leading columns identify a row (e.g. 2 for point and replication).
    public let keyColumns: Int
    /// `fsync` after this many rows (1 = after every row).
    public let syncEvery: Int
    /// Keys of the rows in the file: those found on resume plus those written since.
    public private(set) var completedKeys: Set<[String]>
    /// Rows found in the file when it was opened (0 for a new file).
    public let resumedRows: Int
    /// Bytes of a torn last record dropped when resuming (0 when the file was clean).
    public let droppedTornBytes: Int
    /// Rows written since opening.
    public private(set) var rowsWritten = 0

    private var fd: Int32
    private var unsynced = 0

    /// Open `url` for a sweep with columns `header`. See the type's documentation for
    /// `resume`. Throws `ExperimentError` with a message naming the file.
    ///
    /// `check`, when given, is asked about every row found on resume (its fields); a problem
    /// it names (e.g. a value that is not a number) makes the file damaged: an error naming
    /// the line, and nothing is written.
    public init(url: URL, header: [String], resume: Bool, keyColumns: Int = 2, syncEvery: Int = 64,
                check: (([String]) -> String?)? = nil) throws {
        guard !header.isEmpty else { throw ExperimentError("\(url.path): a table needs at least one column") }
        guard (1...header.count).contains(keyColumns) else {
            throw ExperimentError("\(url.path): keyColumns must be between 1 and \(header.count), got \(keyColumns)")
        }
        self.url = url
        self.header = header
        self.keyColumns = keyColumns
        self.syncEvery = max(1, syncEvery)
        let path = url.path
        let headerLine = Array(csvLine(header).utf8)

        let existing: [UInt8]? = FileManager.default.fileExists(atPath: path) ? try readBytes(url) : nil
        var keys = Set<[String]>()
        var resumed = 0
        var dropped = 0
        if let existing, !existing.isEmpty {
            guard resume else {
                throw ExperimentError("\(path) exists; pass --resume to continue it or choose another --out")
            }
            let scan = try scanCSV(existing, file: path)
            var keep = scan.completeEnd
            if scan.records.isEmpty {
                // No complete line: at most a torn header, which must be a prefix of ours.
                guard headerLine.starts(with: existing) else {
                    throw ExperimentError("\(path): its first line is not the expected header \(header.joined(separator: ",")); choose another --out")
                }
                keep = 0
            } else {
                let found = scan.records[0].fields
                guard found == header else {
                    throw ExperimentError("\(path): header \(found.joined(separator: ",")) does not match the expected \(header.joined(separator: ",")); choose another --out")
                }
                for record in scan.records.dropFirst() {
                    guard record.fields.count == header.count else {
                        throw ExperimentError("\(path) line \(record.line): \(record.fields.count) fields, expected \(header.count); the file is damaged")
                    }
                    if let problem = check?(record.fields) {
                        throw ExperimentError("\(path) line \(record.line): \(problem); the file is damaged or from another sweep (choose another --out)")
                    }
                    let key = Array(record.fields.prefix(keyColumns))
                    guard keys.insert(key).inserted else {
                        throw ExperimentError("\(path) line \(record.line): key \(key.joined(separator: ",")) appears twice; the file is damaged")
                    }
                    resumed += 1
                }
            }
            dropped = existing.count - keep
            let handle = open(path, O_WRONLY | O_APPEND)
            guard handle >= 0 else { throw posixError("cannot open", path) }
            do {
                if dropped > 0, ftruncate(handle, off_t(keep)) != 0 {
                    throw posixError("cannot truncate the torn last line of", path)
                }
                if keep == 0 { try writeAll(handle, headerLine, path) }
                guard fsync(handle) == 0 else { throw posixError("cannot sync", path) }
            } catch {
                _ = libcClose(handle)
                throw error
            }
            fd = handle
        } else {
            // Absent or empty: start a new table. O_EXCL when absent, so a file created
            // meanwhile by someone else is not clobbered.
            let flags = existing == nil ? (O_WRONLY | O_CREAT | O_EXCL | O_APPEND) : (O_WRONLY | O_APPEND)
            let handle = open(path, flags, 0o644)
            guard handle >= 0 else { throw posixError("cannot create", path) }
            do {
                try writeAll(handle, headerLine, path)
                guard fsync(handle) == 0 else { throw posixError("cannot sync", path) }
            } catch {
                _ = libcClose(handle)
                throw error
            }
            fd = handle
        }
        completedKeys = keys
        resumedRows = resumed
        droppedTornBytes = dropped
    }

    deinit {
        if fd >= 0 {
            _ = fsync(fd)
            _ = libcClose(fd)
        }
    }

    /// Whether the row with this key is already in the file.
    public func isDone(_ key: [String]) -> Bool { completedKeys.contains(key) }

    /// Append one row (one field per header column): one `write` of the whole line.
    public func write(_ row: [String]) throws {
        guard fd >= 0 else { throw ExperimentError("\(url.path): write after close") }
        guard row.count == header.count else {
            throw ExperimentError("\(url.path): a row has \(row.count) fields, expected \(header.count) (\(header.joined(separator: ",")))")
        }
        let key = Array(row.prefix(keyColumns))
        guard !completedKeys.contains(key) else {
            throw ExperimentError("\(url.path): the row with key \(key.joined(separator: ",")) is already in the file")
        }
        let end = lseek(fd, 0, SEEK_END)
        do {
            try writeAll(fd, Array(csvLine(row).utf8), url.path)
        } catch {
            // A failed write (a full disk) may have left part of the row: cut it off, so the
            // file still ends with a complete row and a reader never sees half of one.
            if end >= 0 { _ = ftruncate(fd, end) }
            throw error
        }
        completedKeys.insert(key)
        rowsWritten += 1
        unsynced += 1
        if unsynced >= syncEvery { try sync() }
    }

    /// Force the rows written so far to stable storage (`fsync`).
    public func sync() throws {
        guard fd >= 0 else { return }
        guard fsync(fd) == 0 else { throw posixError("cannot sync", url.path) }
        unsynced = 0
    }

    /// Sync and close the file; later writes throw. Idempotent.
    public func close() throws {
        guard fd >= 0 else { return }
        defer { _ = libcClose(fd); fd = -1 }
        try sync()
    }
}

/// One CSV line (fields quoted as needed) with its terminating newline.
func csvLine(_ fields: [String]) -> String {
    fields.map(csvField).joined(separator: ",") + "\n"
}

func posixError(_ what: String, _ path: String) -> ExperimentError {
    ExperimentError("\(what) \(path): \(String(cString: strerror(errno)))")
}

/// Write all of `bytes` to `fd`: one `write` call, repeated only for a short write or EINTR.
func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
    try bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = libcWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw posixError("cannot write to", path)
            }
            offset += written
        }
    }
}

/// Write `bytes` to a temporary file next to `url`, sync it, and rename it over `url`.
func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
    let directory = url.deletingLastPathComponent().path
    let temp = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw posixError("cannot create", temp) }
    do {
        try writeAll(fd, bytes, temp)
        guard fsync(fd) == 0 else { throw posixError("cannot sync", temp) }
        guard libcClose(fd) == 0 else { throw posixError("cannot close", temp) }
    } catch {
        _ = libcClose(fd)
        _ = unlink(temp)
        throw error
    }
    guard rename(temp, url.path) == 0 else {
        let e = posixError("cannot rename \(temp) to", url.path)
        _ = unlink(temp)
        throw e
    }
    // Make the rename itself durable.
    let dfd = open(directory, O_RDONLY)
    if dfd >= 0 { _ = fsync(dfd); _ = libcClose(dfd) }
}

// `close`/`write` are shadowed by the writer's methods inside the class; these reach libc.
@inline(__always) func libcClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #elseif canImport(Musl)
    Musl.close(fd)
    #else
    Darwin.close(fd)
    #endif
}

@inline(__always) func libcWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #elseif canImport(Musl)
    Musl.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}

