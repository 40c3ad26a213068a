import Foundation

/// The repository's root folder (bundled scenarios, docs, the built binary).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The bundled scenarios (`Scenarios/`), or the file `relative` below it.
public func bundledScenarios(_ relative: String = "") -> URL {
    let dir = repositoryRoot.appendingPathComponent("Scenarios")
    return relative.isEmpty ? dir : dir.appendingPathComponent(relative)
}

/// A fresh, empty folder in the temporary directory, named `prefix-UUID` (created when
/// possible; a failure shows at the first write into it).
public func temporaryFolder(_ prefix: String) -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A fresh temporary folder holding `files` (relative path → text; subfolders are created),
/// e.g. scenario files that extend one another.
public func fixtureFolder(_ files: [String: String], prefix: String = "fixture") throws -> URL {
    let dir = temporaryFolder(prefix)
    for (name, text) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    return dir
}
