import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("Sharding")
struct ShardingTests {
    @Test func parsesShards() throws {
        #expect(try Shard.parse("2/4") == Shard(index: 2, count: 4))
        #expect(try Shard.parse(" 1/1 ") == Shard.whole)
        for bad in ["0/3", "4/3", "1/0", "-1/2", "a/b", "1", "1/2/3", "", "1/", "/2"] {
            #expect(throws: ExperimentError.self, "\(bad)") { try Shard.parse(bad) }
        }
        #expect(throws: ExperimentError.self) { try Shard(index: 3, count: 2) }
    }

    @Test func jobsArePointMajorWithCommonReplicationSeeds() {
        let jobs = sweepJobs(points: 4, replications: 3, masterSeed: 42)
        #expect(jobs.count == 12)
        for (k, job) in jobs.enumerated() {
            #expect(k == job.point * 3 + job.replication)
            #expect(job.seed == Seeds.replication(master: 42, index: job.replication))
        }
        // Common random numbers: every point sees the same replication seeds.
        let byPoint = Dictionary(grouping: jobs, by: \.point).mapValues { $0.map(\.seed) }
        #expect(Set(byPoint.values).count == 1)
        #expect(Set(jobs.map(\.seed)).count == 3)
        #expect(sweepJobs(points: 4, replications: 3, masterSeed: 43)[0].seed != jobs[0].seed)
        #expect(sweepJobs(points: 0, replications: 3, masterSeed: 1).isEmpty)
    }

    @Test(arguments: [1, 2, 3, 7, 13, 40])
    func shardsPartitionAllJobsExactly(count: Int) throws {
        let jobs = sweepJobs(points: 5, replications: 7, masterSeed: 2024)
        var owners = [Int](repeating: 0, count: jobs.count)
        var fromShards = [SweepJob]()
        for i in 1...count {
            let shard = try Shard(index: i, count: count)
            for k in jobs.indices where shard.owns(k) { owners[k] += 1 }
            fromShards += shard.select(jobs)
        }
        #expect(owners.allSatisfy { $0 == 1 }, "every job belongs to exactly one shard")
        // The seed a shard runs a job with is the one the whole sweep assigns it.
        let sorted = fromShards.sorted { ($0.point, $0.replication) < ($1.point, $1.replication) }
        #expect(sorted == jobs)
    }

    @Test func shardSelectionIsRoundRobin() throws {
        let shard = try Shard.parse("2/3")
        #expect((0..<9).filter(shard.owns) == [1, 4, 7])
    }
}
