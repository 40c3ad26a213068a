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

/// Partners enter and leave on their own economics, serve the elderly with the hours they owe,
/// and answer the enterprise awards.
extension PartnersTests {
    static let threeYears = "simulation.days: 1080\npartners.enabled: true\npartners.candidates_per_month: 2\n"

    /// A candidate enters on its estimate of revenue and earns the real one: the more it can
    /// misjudge, the more partners lose money for `exit_months` and leave.
    @Test func partnersWhoMisjudgedTheirRevenueLeave() throws {
        let exact = try scenario(Self.threeYears + "partners.estimate_sigma: 0\n")
        let wrong = try scenario(Self.threeYears + "partners.estimate_sigma: 1\n")
        let d = pairedEffect(.partnersExited, exact, wrong, reps: 12)
        #expect(d.baseline.mean < 0.5, "exits when candidates know their revenue: \(d.baseline.mean)")
        #expect(d.difference.lo > 0, "exits, estimate error 1 − 0: \(d.difference)")
    }

    /// Public-benefit hours are services residents feel: with the hours owed raised, more
    /// elderly households are served and satisfaction rises; with none owed, nobody is served.
    @Test func publicBenefitHoursRaiseSatisfaction() throws {
        let base = Self.on + "partners.candidates_per_month: 2\n"
        let none = try scenario(base + "partners.public_hours_per_month: 0\n")
        let many = try scenario(base + "partners.public_hours_per_month: 40\n")
        let d = pairedEffect(.satisfactionMean, none, many, reps: 10)
        #expect(d.difference.lo > 0, "satisfaction, 40 hours − 0: \(d.difference)")
    }

    /// Enterprise awards (recognition, procurement priority) bring more candidates: where few
    /// look at the community, more partners are in place with the awards.
    @Test func enterpriseAwardsBringMorePartners() throws {
        let base = Self.on + "partners.candidates_per_month: 0.3\n"
        let off = try scenario(base)
        let on = try scenario(base + "incentives.enterprise_awards.enabled: true\nincentives.enterprise_awards.boost: 1\n")
        let d = pairedEffect(.partnersActive, off, on, reps: 12)
        #expect(d.difference.lo > 0, "partners in place, awards − none: \(d.difference)")
    }

    /// Partners ask for spaces of different sizes, so the idle space can be let to the last
    /// square metre (not only in whole units).
    @Test func spacesOfDifferentSizesFillTheIdleSpace() throws {
        let s = try scenario(Self.threeYears + "partners.hurdle: -1\n")
        let c = GovernanceModel.simulate(s, seed: 5) { _, _ in }
        let sizes = Set(c.partners.active.map { ($0.space * 10).rounded() })
        #expect(sizes.count > 1)
        #expect(c.partners.spaceUsed > 800 - 65 / 2 && c.partners.spaceUsed <= 800 + 1e-9)
    }
}

extension PartnersTests {
    /// The elderly a partner's free slot serves use a service (`service_use_rate_elderly`), not
    /// a civic act; with no hours owed nobody is served, and a partner who leaves takes its
    /// amenity gain with it (the harm side of the partners).
    @Test func publicBenefitServicesAreServiceUseAndExitsCostAmenity() throws {
        let base = Self.on + "partners.candidates_per_month: 2\nsharing.enabled: false\n"
        let served = pairedEffect(.serviceUseElderly, try scenario(base + "partners.public_hours_per_month: 0\n"),
                                  try scenario(base + "partners.public_hours_per_month: 40\n"), reps: 6)
        #expect(served.baseline.mean == 0 && served.difference.lo > 0, "elderly service use, 40 hours − 0: \(served.difference)")
        let exact = try scenario(Self.threeYears + "partners.estimate_sigma: 0\n")
        let wrong = try scenario(Self.threeYears + "partners.estimate_sigma: 1\n")
        let amenity = pairedEffect(.amenityMean, exact, wrong, reps: 12)
        #expect(amenity.difference.mean < 0, "amenity when partners misjudge and leave − when they know: \(amenity.difference)")
    }
}
