import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

@Suite("Ledger and costs")
struct AccountsTests {
    static let everything = ConstructionTests.project.replacingOccurrences(of: "simulation.days: 300", with: "simulation.days: 720") + """
    partners.enabled: true
    partners.candidates_per_month: 2
    deliberation.enabled: true
    evaluation.enabled: true
    incentives.points.enabled: true
    incentives.volunteers.enabled: true
    incentives.home_visits.enabled: true

    """

    /// Sources = uses + balances, to the yuan: project money, the micro-fund's inflow and the
    /// fees collected equal what was paid out, refunded and spent, plus what projects still
    /// building hold, the micro-fund's balance and the fee account.
    @Test func sourcesEqualUsesPlusBalances() throws {
        for days in [200, 400, 720] {
            let s = try scenario(Self.everything.replacingOccurrences(of: "simulation.days: 720", with: "simulation.days: \(days)"))
            let c = GovernanceModel.simulate(s, seed: 3) { _, _ in }
            expectLedgerBalances(c)
            #expect(c.ledger.sources > 0)
        }
    }

    /// Found in issue 12: incentive_cost was cumulative over the run. Costs are yuan per year
    /// over the summary window: with a window of the whole run, the cumulative amount divided
    /// by the run's years; by payer and by pillar they sum to the same total.
    @Test func costsArePerYearOverTheSummaryWindow() throws {
        let s = try scenario(Self.everything + "simulation.summary_days: 720\n")
        let r = GovernanceModel.run(s, replication: 0, masterSeed: 9, recordSeries: false)
        let c = GovernanceModel.simulate(s, seed: r.seed) { _, _ in }
        let o = { (x: Output) in r.outputs[x.index] }
        #expect(abs(o(.incentiveCost) - c.ledger.incentiveCost / 2) < 1e-6 * max(1, c.ledger.incentiveCost))
        #expect(o(.incentiveCost) > 0)
        let byPayer = Output.costByPayer.map(o).reduce(0, +), byPillar = Output.costByPillar.map(o).reduce(0, +)
        #expect(abs(byPayer - o(.costTotal)) < 1e-6 * o(.costTotal) && abs(byPillar - o(.costTotal)) < 1e-6 * o(.costTotal))
        for x in Output.costByPayer + Output.costByPillar { #expect(o(x) >= 0 && o(x).isFinite, "\(x.name)") }
        #expect(o(.costConstruction) > 0 && o(.costDeliberation) > 0 && o(.costEvaluation) > 0 && o(.costSharing) > 0)
        // Grid workers: workers × hours × wage × 12 a year.
        let g = c.settings.governance.gridWorkersPerGrid * c.settings.population.grids
        let grid = Double(g) * 174 * 40 * 12
        #expect(o(.costGovernance) >= grid - 1e-6 && o(.costGovernance) < grid + 2 * o(.feeRevenue))
        // A one-year window of the same run: the second year's spending.
        let s1 = try scenario(Self.everything + "simulation.summary_days: 360\n")
        let w = GovernanceModel.run(s1, replication: 0, masterSeed: 9, recordSeries: false)
        var firstYear = 0.0
        let c1 = GovernanceModel.simulate(s1, seed: w.seed, observeDays: [359]) { c, day in if day == 359 { firstYear = c.ledger.incentiveCost } }
        #expect(abs(w.outputs[Output.incentiveCost.index] - (c1.ledger.incentiveCost - firstYear)) < 1e-6 * max(1, firstYear))
    }

    /// Staff and volunteer time are valued: doubling the hour value doubles the cost of the
    /// co-deliberation councils and of volunteers' sessions; with no grid workers, the grid's cost is 0.
    @Test func staffAndVolunteerTimeAreValued() throws {
        // The whole run as the window, so that the councils of every month count (a one-day
        // window sees only the bookings of its day).
        let whole = Self.everything + "simulation.summary_days: 720\n"
        let a = GovernanceModel.run(try scenario(whole), replication: 0, masterSeed: 2, recordSeries: false).outputs
        let b = GovernanceModel.run(try scenario(whole + "accounts.staff_hour_value: 80\nconstruction.volunteer_hour_value: 24\n"),
                                    replication: 0, masterSeed: 2, recordSeries: false).outputs
        #expect(a[Output.costDeliberation.index] > 0)
        #expect(abs(b[Output.costDeliberation.index] - 2 * a[Output.costDeliberation.index]) < 1e-6 * a[Output.costDeliberation.index])
        #expect(b[Output.costResidents.index] > a[Output.costResidents.index], "volunteers' time is the residents' cost in kind")
        let none = GovernanceModel.run(try scenario("simulation.days: 360\ngovernance.grid_workers_per_grid: 0\n"), replication: 0, masterSeed: 2, recordSeries: false).outputs
        #expect(none[Output.costGovernance.index] == none[Output.feeRevenue.index])
    }
}

/// The ledger invariant, checked on every final state the property tests simulate: sources =
/// uses + balances to the yuan; the micro-fund's uses are its rules' spending; the costs of
/// co-construction are the projects paid out plus upkeep.
func expectLedgerBalances(_ c: Community, sourceLocation: SourceLocation = #_sourceLocation) {
    let l = c.ledger
    let escrow = c.construction.projects.filter { $0.phase == .building }.map(\.totalRaised).reduce(0, +)
    let balances = escrow + l.microfundBalance + l.feeBalance
    #expect(abs(l.sources - l.uses - balances) < 0.5, "sources \(l.sources) vs uses \(l.uses) + balances \(balances)", sourceLocation: sourceLocation)
    #expect(abs(l.microfundOut - l.microfundHelp - l.microfundUpkeep) < 0.5, sourceLocation: sourceLocation)
    let construction = Payer.allCases.map { l.cost($0, .construction) }.reduce(0, +)
    #expect(abs(construction - l.projectsPaid - l.microfundUpkeep) < 0.5, sourceLocation: sourceLocation)
    #expect(l.feeBalance >= -0.5 && escrow >= 0 && l.costs.allSatisfy { $0 >= 0 }, sourceLocation: sourceLocation)
}
