import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

@Suite("Micro-fund")
struct MicrofundTests {
    static let on = "simulation.days: 720\npartners.enabled: true\npartners.candidates_per_month: 2\n"

    /// Found in issue 12: the micro-fund was never spent (balance = inflow in every run). By
    /// default it spends on help and upkeep; the balance stays well below the inflow.
    @Test func theDefaultSpends() throws {
        let c = GovernanceModel.simulate(try scenario(Self.on), seed: 8) { _, _ in }
        #expect(c.ledger.microfundIn > 0)
        #expect(c.ledger.microfundBalance < 0.9 * c.ledger.microfundIn)
        #expect(c.ledger.microfundHelp > 0 && c.ledger.microfundUpkeep > 0)
        #expect(abs(c.ledger.microfundOut - c.ledger.microfundHelp - c.ledger.microfundUpkeep) < 1e-6)
        #expect(abs(c.ledger.cost(.communityFunds, .sharing) - c.ledger.microfundHelp) < 1e-6)
        let none = GovernanceModel.simulate(try scenario(Self.on + "microfund.help_share: 0\nmicrofund.upkeep_share: 0\n"), seed: 8) { _, _ in }
        #expect(none.ledger.microfundOut == 0 && none.ledger.microfundBalance == none.ledger.microfundIn)
    }

    /// Help reaches households in need (elderly without a car) and raises their satisfaction.
    @Test func helpRaisesTheSatisfactionOfHouseholdsInNeed() throws {
        func needySatisfaction(_ share: Double, seed: UInt64) throws -> Double {
            let c = GovernanceModel.simulate(try scenario(Self.on + "microfund.upkeep_share: 0\nmicrofund.help_share: \(share)\n"), seed: seed) { _, _ in }
            let needy = (0..<c.hh.count).filter { c.hh.age[$0] == AgeGroup.elderly.rawValue && !c.hh.car[$0] }
            return needy.map { Double(c.satisfaction($0)) }.reduce(0, +) / Double(needy.count)
        }
        for seed in UInt64(1)...2 {
            let off = try needySatisfaction(0, seed: seed), on = try needySatisfaction(0.5, seed: seed)
            #expect(on > off + 0.01, "needy households' satisfaction \(off) → \(on)")
        }
    }

    /// Upkeep raises the environment amenity in proportion to what it spends.
    @Test func upkeepRaisesTheEnvironment() throws {
        let env = AmenityCategory.environment.rawValue
        let off = GovernanceModel.simulate(try scenario(Self.on + "microfund.upkeep_share: 0\n"), seed: 5) { _, _ in }
        let on = GovernanceModel.simulate(try scenario(Self.on + "microfund.upkeep_share: 0.5\nmicrofund.upkeep_cost: 2000\n"), seed: 5) { _, _ in }
        #expect(on.ledger.microfundUpkeep > 0)
        #expect(on.amenity[env] > off.amenity[env] + 0.005, "environment \(off.amenity[env]) → \(on.amenity[env])")
    }

    /// Issue 12's done-when: in five-pillars the mean micro-fund balance is below 90 % of its inflow.
    @Test func fivePillarsSpendsItsMicrofund() throws {
        let s = try GovernanceModel.load(bundledScenarios("five-pillars.yaml").path)
        let balance = mean(.microfundBalance, s, reps: 2, seed: 2026), inflow = mean(.microfundInflow, s, reps: 2, seed: 2026)
        #expect(inflow > 0 && balance < 0.9 * inflow, "balance \(balance) of inflow \(inflow)")
    }
}
