import Foundation
import Testing
@testable import SimCore
import TestSupport

@Suite("Engine")
struct EngineTests {
    // Reference values from an independent implementation of SplitMix64 and FNV-1a.
    @Test func seedsAreStable() {
        #expect(Seeds.mix(0) == 0xE220_A839_7B1D_CDAF, "SplitMix64's first output for state 0")
        #expect(Seeds.hash("") == 0xCBF2_9CE4_8422_2325, "FNV-1a offset basis")
        #expect(Seeds.hash("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(Seeds.replication(master: 42, index: 0) == 0x57BD_0E43_E501_ACE6, "SplitMix64 of master and index, top bit cleared")
        #expect(Seeds.replication(master: 42, index: 1) == 0x4358_A256_B285_7FF8)
        #expect(Seeds.purpose("population", replicationSeed: Seeds.replication(master: 42, index: 0)) == 0xCFEB_6B93_DA1E_C062)
    }

    /// Replication seeds are below 2^63, so signed 64-bit readers (pyarrow, polars) read them exactly.
    @Test func replicationSeedsAreBelowTwoToTheSixtyThree() {
        for master: UInt64 in [0, 1, 42, 7, .max, 1 << 63, 0xDEAD_BEEF] {
            for i in 0..<2000 { #expect(Seeds.replication(master: master, index: i) < 1 << 63) }
        }
        // Half the raw mixes have the top bit set: clearing it keeps them distinct.
        #expect(Set((0..<10_000).map { Seeds.replication(master: 42, index: $0) }).count == 10_000)
    }

    /// The tests' SplitMix64 (TestSupport, built on `Seeds.mix`) gives the reference sequence.
    @Test func testSplitMix64IsTheReferenceSequence() {
        var zero = SplitMix64(0)
        #expect((0..<4).map { _ in zero.next() } == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
        var other = SplitMix64(state: 1_234_567)
        #expect((0..<3).map { _ in other.next() } == [0x599E_D017_FB08_FC85, 0x2C73_F084_5854_0FA5, 0x883E_BCE5_A3F2_7C77])
        var r = SplitMix64(42)
        #expect(r.int(1) == 0 && r.state == 42, "int(1) takes no draw")
        let u = (0..<1000).map { _ in r.unit() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 } && abs(u.reduce(0, +) / 1000 - 0.5) < 0.05)
    }

    @Test func differentPurposesAndReplicationsDiffer() {
        let r = Seeds.replication(master: 1, index: 0)
        let names = ["population", "problems", "deliberation", "design.random", "sobol.bootstrap"]
        #expect(Set(names.map { Seeds.purpose($0, replicationSeed: r) }).count == names.count)
        #expect(Set((0..<1000).map { Seeds.replication(master: 1, index: $0) }).count == 1000)
        #expect(Seeds.replication(master: 1, index: 0) != Seeds.replication(master: 2, index: 0))
    }

    @Test func streamSetsReuseStreams() {
        let set = StreamSet(replicationSeed: 5)
        #expect(set.stream("a") === set.stream("a"))
        #expect(set.stream("a").seed == Seeds.purpose("a", replicationSeed: 5))
    }

    @Test func randomStreamsAreDeterministic() {
        for kind in [RandomStream.Kind.taus2, .mt19937] {
            let a = RandomStream(seed: 123, kind: kind), b = RandomStream(seed: 123, kind: kind)
            let xs = (0..<100).map { _ in a.uniform() }
            #expect(xs == (0..<100).map { _ in b.uniform() })
            #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
            let c = RandomStream(seed: 124, kind: kind)
            #expect(xs != (0..<100).map { _ in c.uniform() })
        }
        var v1 = Array(0..<20), v2 = Array(0..<20)
        RandomStream(seed: 9).shuffle(&v1)
        RandomStream(seed: 9).shuffle(&v2)
        #expect(v1 == v2 && v1.sorted() == Array(0..<20))
        let ints = RandomStream(seed: 3)
        #expect((0..<1000).map { _ in ints.int(below: 7) }.allSatisfy { (0..<7).contains($0) })
    }

    @Test func summaryUsesStudentT() {
        let xs = (1...10).map(Double.init)
        let s = Summary(xs)
        #expect(s.n == 10 && s.mean == 5.5)
        #expect(abs(s.sd - 3.0276503540974917) < 1e-12)
        #expect(abs(GSL.tQuantile(0.975, dof: 9) - 2.2621571627409915) < 1e-9)
        let half = 2.2621571627409915 * 3.0276503540974917 / 10.0.squareRoot()
        #expect(abs(s.lo - (5.5 - half)) < 1e-9 && abs(s.hi - (5.5 + half)) < 1e-9)
        let one = Summary([4])
        #expect(one.lo == 4 && one.hi == 4 && one.sd == 0)
        #expect(quantiles([3, 1, 2, .nan, 4], [0, 0.5, 1]) == [1, 2.5, 4])
    }

    @Test func trailingCounterSlidesItsWindow() {
        var c = TrailingCounter(window: 3)
        c.add()                   // day 0: 1
        c.advance(to: 1); c.add(2) // day 1: 2
        c.advance(to: 2); c.add(3) // day 2: 3
        #expect(c.total == 6)
        c.advance(to: 3)
        #expect(c.total == 5)
        c.advance(to: 4)
        #expect(c.total == 3)
        c.advance(to: 2) // going back is ignored
        #expect(c.total == 3)
        c.advance(to: 100)
        #expect(c.total == 0)

        var last = LastActive(count: 2)
        last.mark(0, day: 10)
        #expect(last.isActive(0, on: 12, window: 3) && !last.isActive(0, on: 13, window: 3))
        #expect(!last.isActive(1, on: 0, window: 30))
    }

    @Test func parallelMapIsIdenticalForAnyJobCount() throws {
        let body: @Sendable (Int) -> Double = { i in
            let s = RandomStream(seed: Seeds.replication(master: 99, index: i))
            return (0..<100).reduce(0) { acc, _ in acc + s.uniform() }
        }
        let one = try Parallel.map(50, jobs: 1, body)
        #expect(try Parallel.map(50, jobs: 2, body) == one)
        #expect(try Parallel.map(50, jobs: 7, body) == one)
        #expect(try Parallel.map(5, jobs: 7) { $0 * $0 } == [0, 1, 4, 9, 16], "in index order")
        #expect(try Parallel.map(0, jobs: 3) { $0 }.isEmpty)
    }

    struct Boom: Error, Equatable { let index: Int }

    @Test(arguments: [1, 2, 7])
    func parallelForEachPropagatesErrors(jobs: Int) {
        #expect(throws: Boom(index: 13)) {
            try Parallel.forEach(100, jobs: jobs, { i -> Int in
                if i == 13 { throw Boom(index: 13) }
                return i
            }, sink: { _, _ in })
        }
        var seen = 0
        #expect(throws: Boom(index: -1)) {
            try Parallel.forEach(100, jobs: jobs, { $0 }, sink: { _, _ in
                seen += 1
                if seen == 5 { throw Boom(index: -1) }
            })
        }
        #expect(seen == 5, "the sink is not called after it failed")
    }

    @Test func cadencesFireOnTheLastDayOfTheirPeriod() {
        #expect((0..<10).allSatisfy(Cadence.daily.fires(on:)))
        #expect((0..<30).filter(Cadence.weekly.fires(on:)) == [6, 13, 20, 27])
        #expect(Cadence.monthly.fires(on: 29) && !Cadence.monthly.fires(on: 30) && Cadence.monthly.fires(on: 59))
        #expect(Cadence.quarterly.fires(on: 89) && !Cadence.quarterly.fires(on: 90))
        #expect(Cadence.yearly.fires(on: 359) && !Cadence.yearly.fires(on: 358))
        #expect(Cadence.allCases.map(\.days) == [1, 7, 30, 90, 360])
        #expect(Calendar360.daysPerYear == 12 * Calendar360.daysPerMonth)
    }

    @Test func mutateEachIsIdenticalForAnyJobCount() {
        func run(_ jobs: Int) -> [[Double]] {
            var items = (0..<23).map { [Double($0)] }
            Parallel.mutateEach(&items, jobs: jobs) { x, i in
                let r = RandomStream(seed: UInt64(i))
                for _ in 0..<(i % 5 + 1) { x.append(r.uniform()) }
            }
            return items
        }
        #expect(run(1) == run(2))
        #expect(run(1) == run(7))
    }
}
