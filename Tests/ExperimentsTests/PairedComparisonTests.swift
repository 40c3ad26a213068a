import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("Paired comparison")
struct PairedComparisonTests {
    @Test func differencesReplicationByReplication() {
        let baseline = [10.0, 20, 30, 40, 50]
        let alternative = [11.0, 21.2, 30.8, 41.1, 50.9]
        let p = pairedDifference(metric: "turnout", baseline: baseline, alternative: alternative)
        #expect(p.metric == "turnout")
        #expect(p.baseline == Summary(baseline) && p.alternative == Summary(alternative))
        let expected = Summary([1.0, 1.2, 0.8, 1.1, 0.9])
        #expect(abs(p.difference.sd - expected.sd) < 1e-12)
        #expect(abs(p.difference.lo - expected.lo) < 1e-12 && abs(p.difference.hi - expected.hi) < 1e-12)
        #expect(abs(p.difference.mean - 1.0) < 1e-12)
        #expect(p.difference.n == 5)
        #expect(p.isSignificant)
        // Common random numbers: the shared noise cancels, so the paired interval is far
        // narrower than either summary's.
        #expect(p.difference.hi - p.difference.lo < (p.baseline.hi - p.baseline.lo) / 10)
    }

    @Test func noEffectIsNotSignificant() {
        let p = pairedDifference(metric: "m", baseline: [1, 2, 3, 4], alternative: [1.1, 1.9, 3.1, 3.9])
        #expect(abs(p.difference.mean) < 1e-12)
        #expect(!p.isSignificant)
    }

    @Test func commonRandomNumbersCancelSharedNoise() {
        // The same replication seeds drive both arms; the alternative adds 0.5.
        let seeds = (0..<30).map { Seeds.replication(master: 11, index: $0) }
        let baseline = seeds.map { RandomStream(seed: $0).gaussian(3) }
        let alternative = seeds.map { RandomStream(seed: $0).gaussian(3) + 0.5 }
        let p = pairedDifference(metric: "m", baseline: baseline, alternative: alternative)
        #expect(abs(p.difference.mean - 0.5) < 1e-12 && p.difference.sd < 1e-12)
    }
}
