import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

// One file the user names for a command to write (`pillars new FILE`, `calibrate --out` and
// `--posterior-out`, `report`'s report.html): checked before anything runs, written
// atomically, and read back as it will be read afterwards (issue 29).

/// `text` as the path of a file to write. Refused: an empty name or one with a control
/// character; a path that is a device, a FIFO, a folder or a symbolic link (the link itself is
/// looked at, not what it points to: `new mine.yaml` never replaces /dev/stdout through a
/// link); a missing folder (unless `createFolder`); any of `inputs` (files the command reads,
/// e.g. a scenario's whole `extends` chain, so a written file can never extend itself); an
/// existing file without `overwrite`. Returns the path with its folder's links resolved.
func userFileTarget(_ text: String, option: String, inputs: [String] = [], inputsAre role: String = "a file this command reads",
                    overwrite: Bool, createFolder: Bool = false) throws -> URL {
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ResultsFiles.WriteError(description: "\(option) is empty; name a file")
    }
    if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        throw ResultsFiles.WriteError(description: "\(option) \(text): contains a control character (a newline or tab); choose a plain name")
    }
    let given = URL(fileURLWithPath: text).standardizedFileURL
    try ResultsFiles.checkReplaceable(given)
    let parent = given.deletingLastPathComponent()
    var isDir: ObjCBool = false
    if !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDir) {
        guard createFolder else {
            throw ResultsFiles.WriteError(description: "\(option) \(text): the folder \(parent.path) does not exist; create it first")
        }
        try ResultsFiles.makeDirectory(parent)
    } else if !isDir.boolValue {
        throw ResultsFiles.WriteError(description: "\(option) \(text): \(parent.path) is not a folder")
    }
    guard FileManager.default.isWritableFile(atPath: parent.path) else {
        throw ResultsFiles.WriteError(description: "\(option) \(text): the folder \(parent.path) is not writable")
    }
    let url = parent.resolvingSymlinksInPath().appendingPathComponent(given.lastPathComponent)
    try ResultsFiles.checkReplaceable(url)
    let canonical = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
    if let input = inputs.first(where: { canonical($0) == url.path }) {
        throw ResultsFiles.WriteError(description: "\(option) \(text) is \(role) (\(canonical(input))); writing it would replace what the command reads; choose another file")
    }
    if FileManager.default.fileExists(atPath: url.path), !overwrite {
        throw ResultsFiles.WriteError(description: "\(option) \(text) exists; pass --overwrite to replace it, or choose another file")
    }
    return url
}

/// Write `text` to `url` (checked by `userFileTarget`) atomically, and check it as it will be
/// read: `check` runs on the temporary copy first (beside the target, so relative paths
/// resolve the same), then on the file in place; if the second check fails the earlier file
/// is put back (or the new one removed), so a failed write leaves things as they were.
func writeUserFile(_ text: String, to url: URL, shownAs name: String, check: (String) throws -> Void) throws {
    let fm = FileManager.default
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).new-\(getpid())")
    let backup = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old-\(getpid())")
    Interrupts.track(tmp)
    defer { try? fm.removeItem(at: tmp); try? fm.removeItem(at: backup); Interrupts.untrack(tmp) }
    do {
        try Publish.writeFile(text, to: tmp)
    } catch {
        throw ResultsFiles.WriteError(description: "\(name): cannot write (\(error))")
    }
    func checked(_ path: String) throws {
        do { try check(path) } catch var e as ConfigError {
            if e.file == path || e.file == tmp.path { e.file = name }
            throw e
        }
    }
    try checked(tmp.path)
    try ResultsFiles.checkReplaceable(url)
    // A second name for the earlier file, put back if the file in place does not check.
    _ = unlink(backup.path)
    let hadEarlier = link(url.path, backup.path) == 0
    if rename(tmp.path, url.path) != 0 {
        throw ResultsFiles.WriteError(description: "\(name): cannot write (\(String(cString: strerror(errno))))")
    }
    do { try checked(url.path) } catch {
        if hadEarlier { _ = rename(backup.path, url.path) } else { _ = unlink(url.path) }
        throw error
    }
}

/// A check for `writeUserFile` that reads the file back and compares it with what was written.
func readsBack(_ text: String) -> (String) throws -> Void {
    { path in
        guard let back = try? String(contentsOfFile: path, encoding: .utf8), back == text else {
            throw ResultsFiles.WriteError(description: "\(path): does not read back as written")
        }
    }
}

/// The command line as a file's comment quotes it: arguments with a control character are
/// escaped (a newline as `\n`), so `--name $'x\npopulation.households: 7 #'` cannot end the
/// comment and add a setting to the file.
func echoedCommandLine() -> String {
    CommandLine.arguments.dropFirst().map { ConfigError.oneLine($0) }.joined(separator: " ")
}
