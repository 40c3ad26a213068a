import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

@Suite("Community partners")
struct PartnersTests {
    static let on = "simulation.days: 720\npartners.enabled: true\n"

    @Test func partnersFillIdleSpaceAndPayTheMicroFund() throws {
        let s = try scenario(Self.on + "partners.candidates_per_month: 2\n")
        let c = GovernanceModel.simulate(s, seed: 8) { _, _ in }
        #expect(c.partners.entered > 0)
        #expect(c.partners.spaceUsed <= 800 + 1e-9)
        #expect(c.ledger.microfundIn > 0)
        #expect(abs(c.ledger.microfundBalance - (c.ledger.microfundIn - c.ledger.microfundOut)) < 1e-9)
        #expect(c.partners.investment > 0 && c.ledger[.partner] == 0, "partners' capex is their venture, not project money")
        #expect(c.partners.publicHours > 0)
    }

    @Test func aHighHurdleKeepsPartnersOut() throws {
        let c = GovernanceModel.simulate(try scenario(Self.on + "partners.hurdle: 5\n"), seed: 8) { _, _ in }
        #expect(c.partners.entered == 0 && c.ledger.microfundIn == 0)
    }

    @Test func revenueShareFeedsTheFundInProportion() throws {
        let a = mean(.microfundInflow, try scenario(Self.on + "partners.revenue_share: 0.1\npartners.hurdle: -1\n"), reps: 3)
        let b = mean(.microfundInflow, try scenario(Self.on + "partners.revenue_share: 0.3\npartners.hurdle: -1\n"), reps: 3)
        #expect(b > 2 * a)
    }

    @Test func spendingTheFundKeepsTheBalanceNonNegative() throws {
        let c = GovernanceModel.simulate(try scenario(Self.on + "microfund.help_share: 0.5\n"), seed: 1) { _, _ in }
        #expect(c.ledger.microfundBalance >= 0)
        #expect(c.ledger.microfundOut > 0)
    }
}
