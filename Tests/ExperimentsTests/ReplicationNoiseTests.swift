import Foundation
import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("Replication noise")
struct ReplicationNoiseTests {
    /// Rows y_ir = signal_i + c_r + e_ir: the common shift c_r of replication r (common random
    /// numbers) cancels; the share estimates Var(e)/R over the variance of the row means.
    @Test func shareOfTheRowMeansVarianceThatIsNoise() throws {
        let rng = RandomStream(seed: 5)
        let n = 400, r = 4
        let shift = (0..<r).map { _ in rng.gaussian(3) }
        let values = (0..<n).map { i in (0..<r).map { j in Double(i % 20) / 10 + shift[j] + rng.gaussian(0.5) } }
        let noise = ReplicationNoise(values: values)
        // Signal variance ≈ Var(i % 20 / 10) = 0.3325; noise variance of a mean = 0.25 / 4.
        let expected = 0.0625 / (0.3325 + 0.0625)
        #expect(abs(noise.share - expected) < 0.03, "share \(noise.share), expected ≈ \(expected)")
        #expect(abs(noise.withinVariance - 0.25) < 0.03)
        #expect(noise.note == nil)
        // More replications lower the share: the suggested R brings it under the target.
        let needed = try #require(noise.replications(forShare: 0.05))
        let signal = noise.variance - noise.withinVariance / Double(r)
        #expect(noise.withinVariance / Double(needed) / (signal + noise.withinVariance / Double(needed)) <= 0.05 + 1e-12)
        #expect(noise.replications(forShare: 0.9) == r, "already under the target")
    }

    @Test func degenerateCases() {
        let one = ReplicationNoise(values: [[1], [2], [3]])
        #expect(one.share.isNaN && one.note != nil, "one replication: unknown")
        let pure = ReplicationNoise(values: [[1, 2], [2, 1], [1, 2], [2, 1]])
        #expect(pure.share == 1, "the row means vary only by noise")
        #expect(pure.replications(forShare: 0.2) == nil, "no signal: no replication count")
        let exact = ReplicationNoise(values: [[1, 1], [2, 2], [3, 3]])
        #expect(exact.share == 0)
        let missing = ReplicationNoise(values: [[1, .nan], [2, .nan], [3, 4]])
        #expect(missing.share.isNaN && missing.note != nil)
    }
}
