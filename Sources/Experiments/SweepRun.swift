import SimCore
import SimConfig
// Running a sweep: ordered streaming of parallel jobs, the record of a sweep's design
// (design.json, checked on resume and merge), and merging the folders of a sharded sweep.
import Dispatch
import Foundation

// MARK: - Ordered streaming

/// Runs independent jobs on several threads and hands their results to a serial sink in
/// index order, as soon as a result and every one before it are done.
///
/// Like `Parallel.forEach`, but the sink sees results in order 0, 1, 2, …, so a table
/// streamed from it has the same bytes whatever the number of threads, and what a killed
/// run leaves on disk is always a prefix of the jobs. At most `window` results wait for
/// an earlier one to finish (a worker does not start job i until job i − window has been
/// handed to the sink), so memory is bounded by the window, not by the number of jobs.
public enum OrderedStream {
    /// Evaluate `body(i)` for i in 0..<count on up to `jobs` threads; call `sink(i, result)`
    /// serially in index order. `window` defaults to 4 × jobs. The first error (from `body`
    /// or `sink`) stops new jobs from starting, nothing more reaches the sink, and the error
    /// is rethrown.
    public static func run<T: Sendable>(
        _ count: Int, jobs: Int = Parallel.cores, window: Int? = nil,
        _ body: @Sendable (Int) throws -> T,
        sink: (Int, T) throws -> Void
    ) throws {
        guard count > 0 else { return }
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for i in 0..<count { try sink(i, try body(i)) }
            return
        }
        let state = OrderedState<T>(count: count, window: max(window ?? 4 * workers, workers))
        withoutActuallyEscaping(sink) { sink in
            let sinkBox = SendableSink(sink)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = state.take() {
                    do {
                        let value = try body(i)
                        state.complete(i, value, sink: sinkBox.value)
                    } catch {
                        state.fail(error)
                        return
                    }
                }
            }
        }
        if let e = state.error { throw e }
    }
}

private final class OrderedState<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var next = 0
    /// Results handed to the sink so far (all of 0..<written).
    private var written = 0
    private var buffer = [Int: T]()
    private var draining = false
    private var failure: Error?

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    var error: Error? { condition.lock(); defer { condition.unlock() }; return failure }

    /// The next job to run, once it is within the window; nil when none are left or after an error.
    func take() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while failure == nil, next < count, next >= written + window { condition.wait() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Store result `i`, then, unless another thread is already doing it, hand every result
    /// that is next in order to the sink (outside the lock, so workers keep running).
    func complete(_ i: Int, _ value: T, sink: (Int, T) throws -> Void) {
        condition.lock()
        buffer[i] = value
        guard !draining, failure == nil else { condition.unlock(); return }
        draining = true
        while failure == nil, let v = buffer.removeValue(forKey: written) {
            let index = written
            condition.unlock()
            do {
                try sink(index, v)
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                draining = false
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.lock()
            written += 1
            condition.broadcast()
        }
        draining = false
        condition.unlock()
    }

    func fail(_ e: Error) {
        condition.lock()
        if failure == nil { failure = e }
        condition.broadcast()
        condition.unlock()
    }
}

private struct SendableSink<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}

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
/// job are done (`OrderedStream`). `row` turns a job into the table row; its first two
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
    try OrderedStream.run(todo.count, jobs: jobs, { j in
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

// MARK: - The record of a sweep

/// What defines a sweep, written as `design.json` next to its table: a resumed sweep must
/// have the same record (else it would mix two designs in one table), and the shards of a
/// sweep must agree on everything but the shard before they are merged.
public struct SweepRecord: Codable, Equatable, Sendable {
    /// One swept parameter as given on the command line.
    public struct Parameter: Codable, Equatable, Sendable {
        public var name: String
        public var lo: Double
        public var hi: Double
        public var step: Double?
        public var values: [Double]?
        public init(_ r: ParameterRange) {
            name = r.name; lo = r.lo; hi = r.hi; step = r.step; values = r.values
        }
    }

    /// Format of this record (1).
    public var format = 1
    /// Version of the program that wrote it.
    public var version: String
    /// The scenario file and name (informative).
    public var scenarioFile: String
    public var scenarioName: String
    /// Hash of the effective scenario (overrides applied): identifies the scenario.
    public var scenarioHash: String
    /// grid, random, lhs or sobol.
    public var design: String
    /// `--points` as given (nil when not given).
    public var pointsRequested: Int?
    /// Number of design points.
    public var designPoints: Int
    /// Replications per point.
    public var replications: Int
    /// The master seed (as text: JSON numbers lose 64-bit precision).
    public var masterSeed: String
    /// The swept parameters.
    public var parameters: [Parameter]
    /// Hash of the design points' values: identical on every shard of one sweep.
    public var designHash: String
    /// The table's columns.
    public var columns: [String]
    /// This folder's shard, "i/n" ("1/1" for a whole or merged sweep).
    public var shard: String
    /// Jobs this shard owns.
    public var shardJobs: Int
    /// Jobs of the whole sweep (points × replications).
    public var totalJobs: Int

    public init(version: String, scenarioFile: String, scenarioName: String, scenarioHash: String,
                design: Design, pointsRequested: Int?, replications: Int, masterSeed: UInt64,
                columns: [String], shard: Shard) {
        self.version = version
        self.scenarioFile = scenarioFile
        self.scenarioName = scenarioName
        self.scenarioHash = scenarioHash
        self.design = design.kind.rawValue
        self.pointsRequested = pointsRequested
        designPoints = design.points.count
        self.replications = replications
        self.masterSeed = String(masterSeed)
        parameters = design.parameters.map(Parameter.init)
        designHash = Self.hash(design.points)
        self.columns = columns
        self.shard = "\(shard.index)/\(shard.count)"
        let total = design.points.count * replications
        totalJobs = total
        shardJobs = (0..<total).reduce(0) { $0 + (shard.owns($1) ? 1 : 0) }
    }

    /// FNV-1a over the bit patterns of every coordinate, as 16 hex digits.
    public static func hash(_ points: [[Double]]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in points {
            for x in p {
                var bits = x.bitPattern
                for _ in 0..<8 {
                    h = (h ^ (bits & 0xff)) &* 0x0000_0100_0000_01B3
                    bits >>= 8
                }
            }
            h = (h ^ 0x0a) &* 0x0000_0100_0000_01B3
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The fields that differ between two records, as "field: A here, B there" phrases
    /// (`mine`/`theirs` name the two sides). The version and file name are informative and
    /// not compared; the shard is compared unless `ignoringShard`.
    public func differences(from other: SweepRecord, ignoringShard: Bool, mine: String, theirs: String) -> [String] {
        var out = [String]()
        func check<V: Equatable>(_ name: String, _ a: V, _ b: V, _ show: (V) -> String) {
            if a != b { out.append("\(name): \(show(a)) \(mine), \(show(b)) \(theirs)") }
        }
        check("scenario (hash)", scenarioHash, other.scenarioHash) { $0 }
        check("design", design, other.design) { $0 }
        check("points", pointsRequested, other.pointsRequested) { $0.map(String.init) ?? "not given" }
        check("replications", replications, other.replications) { String($0) }
        check("seed", masterSeed, other.masterSeed) { $0 }
        check("parameters", parameters, other.parameters) { $0.map(Self.describe).joined(separator: " ") }
        if out.isEmpty { check("design points (hash)", designHash, other.designHash) { $0 } }
        check("columns", columns, other.columns) { $0.joined(separator: ",") }
        if !ignoringShard { check("shard", shard, other.shard) { $0 } }
        return out
    }

    /// `path=lo:hi`, `path=lo:hi:step` or `path=v1,v2`.
    public static func describe(_ p: Parameter) -> String {
        if let v = p.values { return p.name + "=" + v.map(formatNumber).joined(separator: ",") }
        return p.name + "=" + formatNumber(p.lo) + ":" + formatNumber(p.hi) + (p.step.map { ":" + formatNumber($0) } ?? "")
    }

    /// What is wrong with a row of this sweep's table, for a folder holding shard `shard`
    /// (nil when nothing is): the point and replication must be whole numbers naming a job of
    /// the design that the shard owns, the seed must be that replication's seed, and every
    /// other field a number or empty (nothing measured). Catches rows damaged by hand or
    /// copied from another sweep, which a resume would keep and a merge count as done.
    public func rowProblem(_ fields: [String], shard: Shard) -> String? {
        guard fields.count == columns.count, fields.count >= 3 else {
            return "\(fields.count) fields, expected \(columns.count)"
        }
        guard let point = Int(fields[0]), (0..<designPoints).contains(point) else {
            return "point '\(fields[0])' is not a point of the design (0…\(designPoints - 1))"
        }
        guard let replication = Int(fields[1]), (0..<replications).contains(replication) else {
            return "replication '\(fields[1])' is not one of 0…\(replications - 1)"
        }
        guard shard.owns(point * replications + replication) else {
            return "point \(point), replication \(replication) is not a job of shard \(shard.index)/\(shard.count)"
        }
        if let master = UInt64(masterSeed), fields[2] != String(Seeds.replication(master: master, index: replication)) {
            return "seed '\(fields[2])' is not the seed of replication \(replication) under --seed \(masterSeed)"
        }
        for (i, f) in fields.enumerated().dropFirst(3) where !f.isEmpty && Double(f) == nil {
            return "\(columns[i]) is '\(f.prefix(40))', not a number"
        }
        return nil
    }

    /// The shard as parsed.
    public var parsedShard: Shard? { try? Shard.parse(shard) }

    /// Read `design.json` from `url`.
    public static func read(_ url: URL) throws -> SweepRecord {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ExperimentError("\(url.path): cannot read (\(FileManager.default.fileExists(atPath: url.path) ? "unreadable" : "no such file"))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(SweepRecord.self, from: data) } catch let e as DecodingError {
            throw ExperimentError("\(url.path): not a sweep design record (\(Self.problem(e)))")
        } catch {
            throw ExperimentError("\(url.path): not a sweep design record (not valid JSON)")
        }
    }

    /// A decoding error in words (its Swift description dumps coding paths and contexts).
    static func problem(_ e: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .dataCorrupted: return "not valid JSON"
        case let .keyNotFound(key, c): return "no field \(path(c.codingPath + [key]))"
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return "field \(path(c.codingPath)) has the wrong type"
        @unknown default: return "not readable"
        }
    }

    /// The record as pretty-printed JSON with a trailing newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
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
                              manifest: ((SweepMerge) -> String)? = nil) throws -> SweepMerge {
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
            if let problem = r.record.rowProblem(row, shard: r.shard) {
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
    if let manifest { files.append(("manifest.json", manifest(result))) }
    try Publish.files(files, in: output)
    return result
}
