import SimCore
import SimConfig
// Running a sweep (streamSweep) and merging the folders of a sharded sweep. The ordered
// streaming of jobs is the engine's Parallel.forEachInOrder, the record of a design SweepRecord.swift.
import Dispatch
import Foundation

// MARK: - Streaming a sweep

/// What `streamSweep` did.
public struct SweepProgress: Sendable, Equatable {
    /// Jobs the shard owns.
    public var owned: Int
    /// Of those, already in the table when it was opened (resumed).
    public var resumed: Int
    /// Jobs run and written now.
    public var ran: Int
}

/// Run the jobs of a sweep (`points` × `replications`, job k = point · replications +
/// replication, as `sweepJobs`) that `shard` owns and that are not yet in `writer`'s table,
/// on `jobs` threads, writing each row to `writer` as soon as it and every earlier pending
/// job are done (`Parallel.forEachInOrder`). `row` turns a job into the table row; its first two
/// fields must be the point and replication as decimal integers (the writer's key).
///
/// The rows already in the table must all be jobs this shard owns (else the folder holds
/// another sweep's rows: an error). `progress(ran, pending)` is called after each row.
/// The writer is synced at the end but not closed.
@discardableResult
public func streamSweep(
    points: Int, replications: Int, masterSeed: UInt64, shard: Shard = .whole,
    writer: TidyTableWriter, jobs: Int = Parallel.cores,
    progress: ((_ ran: Int, _ pending: Int) -> Void)? = nil,
    row: @escaping @Sendable (SweepJob) throws -> [String]
) throws -> SweepProgress {
    guard writer.keyColumns == 2 else {
        throw ExperimentError("\(writer.url.path): a sweep table is keyed by point and replication (2 key columns), got \(writer.keyColumns)")
    }
    let total = points * replications
    var pending = [Int]()
    var owned = 0, resumed = 0
    for k in 0..<max(total, 0) where shard.owns(k) {
        owned += 1
        if writer.isDone([String(k / replications), String(k % replications)]) { resumed += 1 } else { pending.append(k) }
    }
    guard resumed == writer.completedKeys.count else {
        throw ExperimentError("\(writer.url.path): holds \(writer.completedKeys.count - resumed) rows that are not jobs of this sweep\(shard.count > 1 ? " (shard \(shard.index)/\(shard.count))" : ""); it belongs to another sweep — choose another --out")
    }
    let seeds = (0..<max(replications, 0)).map { Seeds.replication(master: masterSeed, index: $0) }
    let todo = pending
    var ran = 0
    try Parallel.forEachInOrder(todo.count, jobs: jobs, { j in
        let k = todo[j]
        let r = k % replications
        return try row(SweepJob(point: k / replications, replication: r, seed: seeds[r]))
    }, sink: { _, fields in
        try writer.write(fields)
        ran += 1
        progress?(ran, todo.count)
    })
    try writer.sync()
    return SweepProgress(owned: owned, resumed: resumed, ran: ran)
}

// MARK: - Merging shards

/// What `mergeSweepFolders` found and wrote.
public struct SweepMerge: Sendable {
    /// The merged record (shard 1/1, as if one machine had run the sweep).
    public var record: SweepRecord
    /// Rows in the merged table.
    public var rows: Int
    /// Rows the whole sweep has (points × replications).
    public var expected: Int
    /// Number of shards the sweep was split into.
    public var shardCount: Int
    /// Shard numbers of the sweep that no input folder holds.
    public var missingShards: [Int]
    /// Per input folder: its shard, rows found, rows it owns (filled when rows are missing).
    public var shortShards: [(folder: String, shard: String, found: Int, expected: Int)]
}

/// Merge the folders of a sharded sweep: each holds `table` (default `sweep.csv`) and
/// `record` (default `design.json`). The records must agree on everything but the shard
/// and have the same shard count, with no shard given twice. The tables are merged with
/// `mergeTidyTables` (key: point, replication; rows sorted) into `output/table`, and the
/// merged record (shard 1/1) is written to `output/record`, so an incomplete merge can be
/// completed later with a resumed unsharded sweep in `output`.
///
/// When rows are missing (a shard absent or unfinished) this throws, saying how many rows
/// were expected and found and which shards are short, and writes nothing — unless
/// `allowPartial`, when it writes what there is and reports the shortfall in the result.
///
/// Every shard's table must have the record's columns, and every row must be a job of that
/// shard with its own seed and numbers for values (`SweepRecord.rowProblem`): a damaged or
/// foreign row is an error naming the file and row, never counted as done. The merged
/// table, the record and `manifest` (when given) are published together with
/// `Publish.files`, the manifest last.
public func mergeSweepFolders(_ folders: [URL], output: URL, allowPartial: Bool,
                              table: String = "sweep.csv", record recordName: String = "design.json",
                              manifest: ((SweepMerge) -> String)? = nil,
                              rowCheck: (([String], [String]) -> String?)? = nil,
                              series: String = "timeseries.csv") throws -> SweepMerge {
    guard !folders.isEmpty else { throw ExperimentError("merge: no shard folders given") }
    var records = [(url: URL, record: SweepRecord, shard: Shard)]()
    for f in folders {
        let r = try SweepRecord.read(f.appendingPathComponent(recordName))
        guard let s = r.parsedShard else {
            throw ExperimentError("\(f.appendingPathComponent(recordName).path): shard '\(r.shard)' is not of the form i/n")
        }
        guard FileManager.default.fileExists(atPath: f.appendingPathComponent(table).path) else {
            throw ExperimentError("\(f.path): no \(table); has this shard started?")
        }
        records.append((f, r, s))
    }
    let first = records[0]
    for other in records.dropFirst() {
        let diff = other.record.differences(from: first.record, ignoringShard: true,
                                            mine: "in \(other.url.path)", theirs: "in \(first.url.path)")
        if !diff.isEmpty {
            throw ExperimentError("merge: \(other.url.path) is not a shard of the same sweep as \(first.url.path) (\(diff.joined(separator: "; ")))")
        }
        if other.shard.count != first.shard.count {
            throw ExperimentError("merge: \(other.url.path) is shard \(other.record.shard) but \(first.url.path) is shard \(first.record.shard); all shards must split the sweep the same way")
        }
    }
    var seen = [Int: URL]()
    for r in records {
        if let prior = seen[r.shard.index] {
            throw ExperimentError("merge: shard \(r.record.shard) is given twice (\(prior.path) and \(r.url.path))")
        }
        seen[r.shard.index] = r.url
    }
    let n = first.shard.count
    let missing = (1...n).filter { seen[$0] == nil }

    var found = [Int]()
    for r in records {
        let url = r.url.appendingPathComponent(table)
        let t = try readTidyTable(url)
        guard t.header == r.record.columns else {
            throw ExperimentError("merge: \(url.path) has header \(t.header.prefix(6).joined(separator: ","))…, not the columns its \(recordName) records (\(r.record.columns.prefix(6).joined(separator: ","))…)")
        }
        for (i, row) in t.rows.enumerated() {
            if let problem = r.record.rowProblem(row, shard: r.shard) ?? rowCheck?(row, t.header) {
                throw ExperimentError("merge: \(url.path) row \(i + 1): \(problem); the shard is damaged or from another sweep")
            }
        }
        found.append(t.rows.count)
    }
    let merged = try mergedTidyTable(records.map { $0.url.appendingPathComponent(table) }, keyColumns: 2)
    let rows = merged.rows
    let expected = first.record.totalJobs
    var short = [(folder: String, shard: String, found: Int, expected: Int)]()
    if rows < expected {
        for (r, n) in zip(records, found) where n < r.record.shardJobs {
            short.append((r.url.path, r.record.shard, n, r.record.shardJobs))
        }
        if !allowPartial {
            var parts = [String]()
            if !missing.isEmpty { parts.append("shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) not given") }
            parts += short.map { "shard \($0.shard) in \($0.folder) has \($0.found) of \($0.expected)" }
            throw ExperimentError("merge: \(rows) of \(expected) rows found (\(parts.joined(separator: "; "))); finish the shards (rerun them with --resume) or pass --allow-partial")
        }
    }
    var record = first.record
    record.shard = "1/1"
    record.shardJobs = record.totalJobs
    let result = SweepMerge(record: record, rows: rows, expected: expected, shardCount: n, missingShards: missing, shortShards: short)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    var files = [(name: table, text: merged.text), (name: recordName, text: record.json())]
    let seriesText = try mergedSeries(records.map { ($0.url, $0.record, $0.shard) }, table: table, series: series, rowCheck: rowCheck)
    if let seriesText { files.append((series, seriesText)) }
    if let manifest { files.append(("manifest.json", manifest(result))) }
    // A merge without time series leaves none of an earlier merge's beside its table.
    try Publish.files(files, in: output, removing: seriesText == nil ? [series] : [])
    return result
}


/// The shards' time series (`sweep --timeseries`) merged as one machine would have written
/// them: rows sorted by point, replication and day; nil when no shard has one. Either every
/// shard has the file or none (a mix is refused). Every row is checked like a resumed one
/// (`seriesRowProblem`, `rowCheck`); only the series of jobs the shard's table holds are kept
/// (a job killed between its series and its row is run again by a resume).
func mergedSeries(_ shards: [(url: URL, record: SweepRecord, shard: Shard)], table: String, series: String,
                  rowCheck: (([String], [String]) -> String?)?) throws -> String? {
    let have = shards.filter { FileManager.default.fileExists(atPath: $0.url.appendingPathComponent(series).path) }
    guard !have.isEmpty else { return nil }
    if let without = shards.first(where: { s in !have.contains { $0.url == s.url } }) {
        throw ExperimentError("merge: \(have[0].url.path) has \(series) but \(without.url.path) has none; merge shards of one sweep, all run with --timeseries or all without")
    }
    var header: [String]? = nil
    var rows = [(key: (Int, Int, Int), row: [String])]()
    for s in shards {
        let url = s.url.appendingPathComponent(series)
        let t = try readTidyTable(url)
        if header == nil { header = t.header }
        guard t.header == header, t.header.prefix(3) == ["point", "replication", "day"] else {
            throw ExperimentError("merge: \(url.path) has header \(t.header.prefix(4).joined(separator: ","))…, not point,replication,day and the same outputs as \(shards[0].url.appendingPathComponent(series).path)")
        }
        let jobs = Set(try readTidyTable(s.url.appendingPathComponent(table)).rows.map { Array($0.prefix(2)) })
        for (i, row) in t.rows.enumerated() {
            if let problem = s.record.seriesRowProblem(row, columns: t.header.count, shard: s.shard) ?? rowCheck?(row, t.header) {
                throw ExperimentError("merge: \(url.path) line \(i + 2): \(problem); the shard is damaged or from another sweep")
            }
            guard jobs.contains(Array(row.prefix(2))) else { continue }
            rows.append(((Int(row[0])!, Int(row[1])!, Int(row[2])!), row))
        }
    }
    rows.sort { $0.key < $1.key }
    for (a, b) in zip(rows, rows.dropFirst()) where a.key == b.key {
        throw ExperimentError("merge: \(series) has day \(a.key.2) of point \(a.key.0), replication \(a.key.1) twice")
    }
    var text = csvLine(header!)
    for r in rows { text += csvLine(r.row) }
    return text
}
