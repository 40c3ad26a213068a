import Foundation
import SimCore
import Experiments

// Taking an output folder for one command (issue 18): the path is checked, the folder locked
// for as long as the command writes it, and its contents checked under the lock.

/// `text` as an output path: not empty (which would mean the working directory), without
/// control characters (a newline or tab in a folder name), symbolic links resolved (so a
/// link to a shard is seen to be that shard, and a link itself is never renamed over).
func outputPath(_ text: String, option: String = "--out") throws -> URL {
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ResultsFiles.WriteError(description: "\(option) is empty; name a folder (\(option) '' would mean the working directory)")
    }
    if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        throw ResultsFiles.WriteError(description: "\(option) \(text): contains a control character (a newline or tab); choose a plain name")
    }
    return URL(fileURLWithPath: text).standardizedFileURL.resolvingSymlinksInPath()
}

/// Create `dir` if needed and lock it; refuse a path that is not a folder.
func lockedFolder(_ dir: URL) throws -> FolderLock {
    var info = stat()
    if lstat(dir.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
        throw ResultsFiles.WriteError(description: "\(dir.path): exists and is not a folder")
    }
    try ResultsFiles.makeDirectory(dir)
    return try FolderLock(dir)
}

/// What `dir` holds, apart from the stale temporary files of killed writers (removed here).
func folderContents(_ dir: URL) -> [String] {
    ResultsFiles.removeStaleTemporaries(in: dir)
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
        .filter { !ResultsFiles.isStaleTemporary($0) }.sorted()
}

/// Take the output folder of a run (also compare, sensitivity): it must be new or empty, or
/// hold an earlier command's results and `--overwrite` is given. It is created and locked
/// (held until the process exits); its results are then published with `Publish.folder`, so
/// nothing of the earlier run is kept beside the new one. Files that are not results of a
/// pillars command are never replaced, not even with `--overwrite`.
func claimResultsFolder(_ dir: URL, overwrite: Bool) throws -> FolderLock {
    let lock = try lockedFolder(dir)
    let contents = folderContents(dir)
    if !contents.isEmpty {
        guard overwrite else {
            throw ResultsFiles.WriteError(description: "\(dir.path): already holds results; choose another --out or pass --overwrite")
        }
        let foreign = contents.filter { !ResultsFiles.resultNames.contains($0) }
        guard foreign.isEmpty else {
            throw ResultsFiles.WriteError(description: "\(dir.path): holds files that are not pillars results (\(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? ", …" : "")), which --overwrite would delete; choose another --out")
        }
    }
    Publish.removeStaleSiblings(of: dir)
    return lock
}

/// The results folder of a command, locked: `--out` as given (checked, then claimed with
/// `claimResultsFolder`), or else a new folder at `defaultPath` — `-2`, `-3`, … added when
/// that is taken, so two commands started in the same second never share one.
func claimOutput(_ out: String?, default defaultPath: String, overwrite: Bool,
                 check: (URL) throws -> Void = { _ in }) throws -> (URL, FolderLock) {
    if let out {
        let dir = try outputPath(out)
        try check(dir)
        return (dir, try claimResultsFolder(dir, overwrite: overwrite))
    }
    try check(URL(fileURLWithPath: defaultPath))
    let dir = try claimNewFolder(defaultPath)
    return (dir, try claimResultsFolder(dir, overwrite: overwrite))
}
