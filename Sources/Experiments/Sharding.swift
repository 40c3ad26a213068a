import SimCore
import SimConfig
/// One shard of a sweep split over several processes or machines: shard `index` of `count`
/// (1-based, as written on the command line, `--shard 2/4`). Jobs are dealt round-robin:
/// shard i owns job k when k mod count == i − 1, so the shards partition the jobs exactly
/// and each gets a mix of design points.
public struct Shard: Sendable, Equatable {
    /// 1-based shard number, 1…count.
    public let index: Int
    /// Number of shards, ≥ 1.
    public let count: Int

    /// The whole sweep as one shard (1/1).
    public static let whole = Shard(unchecked: 1, 1)

    /// Shard `index` of `count`; throws unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int) throws {
        let text = "\(index)/\(count)"
        guard count >= 1 else { throw Self.error(text, "the shard count must be ≥ 1") }
        guard index >= 1 else { throw Self.error(text, "the shard number must be ≥ 1") }
        guard index <= count else { throw Self.error(text, "the shard number \(index) exceeds the count \(count)") }
        self.init(unchecked: index, count)
    }

    private init(unchecked index: Int, _ count: Int) {
        self.index = index
        self.count = count
    }

    /// Parse `i/n` (e.g. `2/4`).
    public static func parse(_ text: String) throws -> Shard {
        let parts = text.experimentTrimmed().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let i = Int(String(parts[0]).experimentTrimmed()),
              let n = Int(String(parts[1]).experimentTrimmed())
        else { throw error(text, "not of the form i/n") }
        guard n >= 1 else { throw error(text, "the shard count must be ≥ 1") }
        guard i >= 1 else { throw error(text, "the shard number must be ≥ 1") }
        guard i <= n else { throw error(text, "the shard number \(i) exceeds the count \(n)") }
        return Shard(unchecked: i, n)
    }

    /// Whether this shard runs job `jobIndex` (0-based position in `sweepJobs`).
    public func owns(_ jobIndex: Int) -> Bool {
        jobIndex % count == index - 1
    }

    /// The jobs of `jobs` this shard owns, in order.
    public func select<T>(_ jobs: [T]) -> [T] {
        jobs.indices.filter(owns).map { jobs[$0] }
    }

    private static func error(_ text: String, _ problem: String) -> ExperimentError {
        ExperimentError("shard '\(text)': \(problem) (expected i/n with 1 ≤ i ≤ n, e.g. 2/4)")
    }
}

/// One run of a sweep: replication `replication` of design point `point`, with its seed.
public struct SweepJob: Sendable, Equatable {
    /// Index of the design point (0-based).
    public let point: Int
    /// Index of the replication (0-based).
    public let replication: Int
    /// The replication's seed: `Seeds.replication(master:index: replication)`.
    public let seed: UInt64

    /// A job; normally made by `sweepJobs(points:replications:masterSeed:)`.
    public init(point: Int, replication: Int, seed: UInt64) {
        self.point = point
        self.replication = replication
        self.seed = seed
    }
}

/// All jobs of a sweep, job k = point · replications + replication (point-major).
///
/// The seed depends only on the master seed and the replication index, through
/// `Seeds.replication(master:index:)`: every design point sees the same replication seeds
/// (common random numbers across points, so differences between points are not drowned
/// in seed noise), and a job's seed does not depend on which shard or thread runs it.
public func sweepJobs(points: Int, replications: Int, masterSeed: UInt64) -> [SweepJob] {
    guard points > 0, replications > 0 else { return [] }
    let seeds = (0..<replications).map { Seeds.replication(master: masterSeed, index: $0) }
    var jobs = [SweepJob]()
    jobs.reserveCapacity(points * replications)
    for p in 0..<points {
        for r in 0..<replications {
            jobs.append(SweepJob(point: p, replication: r, seed: seeds[r]))
        }
    }
    return jobs
}
