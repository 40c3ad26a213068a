import SimCore
import SimConfig
// A second table streamed beside a sweep's (timeseries.csv beside sweep.csv): many rows
// per job, in job order, each job's rows on disk before its row of the main table, so the
// main table's resume decides what is done and this table is resumed with it.
import Foundation

/// The jobs of a sweep that `streamSweep` will run, in its order: those `shard` owns whose
/// (point, replication) key is not yet in `writer`'s table.
public func pendingSweepJobs(points: Int, replications: Int, shard: Shard, writer: TidyTableWriter) -> [Int] {
    (0..<max(points * replications, 0)).filter {
        shard.owns($0) && !writer.isDone([String($0 / replications), String($0 % replications)])
    }
}

/// Writes the rows of each job of a sweep to a side table (a `TidyTableWriter`, keyed by
/// more columns than the job, e.g. point, replication, day) in job order, from the worker
/// threads of `streamSweep`'s row function.
///
/// `write(_:job:)` waits until every earlier pending job has written its rows, then writes
/// this job's, so the table has the same bytes whatever the number of threads. Called in the
/// row function, before the job's row of the main table is returned, a job's side rows are
/// on disk before its main row: after a kill, every job the main table holds has all its
/// side rows, and a job that is run again (not in the main table) skips the side rows
/// already written (the same rows: runs are deterministic). A torn last line is dropped by
/// the writer on resume. After an error (`fail()` or a failed write) waiting jobs throw.
public final class OrderedSideTable: @unchecked Sendable {
    /// The side table.
    public let writer: TidyTableWriter
    private let position: [Int: Int]
    private var next = 0
    private var failed = false
    private let condition = NSCondition()

    /// A side table for the pending `jobs` (as `pendingSweepJobs`), in the order they run.
    public init(writer: TidyTableWriter, jobs: [Int]) {
        self.writer = writer
        position = Dictionary(uniqueKeysWithValues: jobs.enumerated().map { ($1, $0) })
    }

    /// Write the side rows of job `k`, once every earlier pending job has written its own.
    public func write(_ rows: [[String]], job k: Int) throws {
        guard let p = position[k] else { throw ExperimentError("\(writer.url.path): job \(k) is not a pending job of this sweep") }
        condition.lock()
        defer { condition.unlock() }
        while !failed, next < p { condition.wait() }
        guard !failed else { throw ExperimentError("\(writer.url.path): an earlier job failed; not written") }
        do {
            for row in rows where !writer.isDone(Array(row.prefix(writer.keyColumns))) { try writer.write(row) }
        } catch {
            failed = true
            condition.broadcast()
            throw error
        }
        next = p + 1
        condition.broadcast()
    }

    /// Mark the sweep failed (a job's run threw): jobs waiting for their turn throw.
    public func fail() {
        condition.lock()
        failed = true
        condition.broadcast()
        condition.unlock()
    }
}
