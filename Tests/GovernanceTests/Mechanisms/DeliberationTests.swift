import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

@Suite("Co-deliberation")
struct DeliberationTests {
    static let on = "simulation.days: 360\ndeliberation.enabled: true\n"

    @Test func councilsProduceVotesResolutionsAndAttendance() throws {
        let s = try scenario(Self.on)
        let r = GovernanceModel.run(s, replication: 0, masterSeed: 3, recordSeries: false)
        #expect(r.outputs[Output.resolutions.index] > 0)
        let a = r.outputs[Output.approvalShare.index]
        #expect(a >= 0 && a <= 1)
        // Attendance in the last window of one replication can be 0 by chance (a council whose
        // few attendees are all younger); over three replications the elderly do attend.
        #expect(mean(.attendanceElderly, s, reps: 3, seed: 3) > 0)
        let off = GovernanceModel.run(try scenario("simulation.days: 360\n"), replication: 0, masterSeed: 3, recordSeries: false)
        #expect(off.outputs[Output.resolutions.index] == 0)
        #expect(off.outputs[Output.approvalShare.index].isNaN)
    }

    @Test func deliberationRaisesParticipation() throws {
        let on = mean(.participationRate, try scenario(Self.on), reps: 8)
        let off = mean(.participationRate, try scenario("simulation.days: 360\n"), reps: 8)
        #expect(on > off + 0.01, "on \(on), off \(off)")
    }

    /// Direction: floor-differentiated shares (compensation in layered consultation) raise approval among low floors.
    @Test func compensationRaisesLowFloorApproval() throws {
        // In the bundled elevator compound (five pillars, every topic divisive), paired over 30
        // replications: one vote a month, and first impressions now sit below merit.
        let path = bundledScenarios("mechanisms/_elevator-compound.yaml").path
        let d = pairedEffect(.approvalShareLowFloors, try GovernanceModel.load(path, overrides: ["deliberation.compensation=false"]),
                             try GovernanceModel.load(path), reps: 30)
        #expect(d.difference.lo > 0 && d.difference.mean > 0.03, "low-floor approval, compensation − none: \(d.difference)")
    }

    /// Direction: reserved tenant seats raise tenants' attendance and participation (when
    /// sign-ups exceed the threshold and representatives are elected).
    @Test func tenantSeatsRaiseTenantParticipation() throws {
        let base = Self.on + "deliberation.signup_intercept: 1\ndeliberation.seats: 30\ndeliberation.topics_per_month: 2\n"
        let off = try scenario(base)
        let on = try scenario(base + "incentives.tenant_seats.enabled: true\nincentives.tenant_seats.share: 0.4\n")
        let attendOff = mean(.attendanceTenant, off, reps: 8), attendOn = mean(.attendanceTenant, on, reps: 8)
        #expect(attendOn > attendOff + 0.02, "tenant attendance \(attendOff) → \(attendOn)")
        #expect(mean(.participationTenant, on, reps: 8) > mean(.participationTenant, off, reps: 8))
    }

    /// Issue 12: the threshold is stated for the Shanghai case's community (20 sign-ups, 1,000
    /// households) and scales with the community's size.
    @Test func electionThresholdScalesWithCommunitySize() throws {
        let d = DeliberationSettings()
        #expect(d.electionThreshold(households: 1000) == 20)
        #expect(d.electionThreshold(households: 600) == 12)
        #expect(d.electionThreshold(households: 10_000) == 200)
        #expect(d.electionThreshold(households: 10) == 1)
    }

    /// Issue 12: the bundled tenant-seats scheme (on `schemes/_no-incentives.yaml`) changed
    /// nothing. Staff now ask tenants to stand, so more tenants attend; and where sign-ups exceed
    /// the (size-scaled) threshold, the reserved seats go to tenants who would otherwise lose.
    @Test func tenantSeatsRaiseTenantAttendanceInTheBundledCommunity() throws {
        let path = bundledScenarios("schemes/_no-incentives.yaml").path
        func load(_ extra: [String]) throws -> Scenario {
            try GovernanceModel.load(path, overrides: ["simulation.summary_days=1", "simulation.days=540"] + extra)
        }
        // Attendance over the last 180 days (a one-day snapshot is seed noise at 4 replications).
        let window = ["simulation.summary_days=180"]
        let off = mean(.attendanceTenant, try load(window), reps: 6, seed: 4)
        let on = mean(.attendanceTenant, try load(window + ["incentives.tenant_seats.enabled=true"]), reps: 6, seed: 4)
        #expect(on > off + 0.004, "tenant attendance \(off) → \(on)")
        // A busier council (sign-ups above the threshold of 12 for 600 households, more than the
        // 15 seats): representatives are elected, tenants fill the reserved seats, and the
        // reservation itself (share 0.2 vs 0, the same asking) raises tenant attendance.
        let busy = ["deliberation.signup_intercept=0", "incentives.tenant_seats.enabled=true"]
        var elected = 0, councils = 0, reserved = 0
        let seats = try load(busy)
        for rep in 0..<2 {
            let c = GovernanceModel.simulate(seats, seed: Seeds.replication(master: 4, index: rep)) { _, _ in }
            elected += c.deliberation.electedCouncils; councils += c.deliberation.councils; reserved += c.deliberation.reservedSeatsFilled
        }
        let electedShare = Double(elected) / Double(max(1, councils))
        #expect(electedShare > 0.5, "councils with elections: \(elected) of \(councils)")
        #expect(reserved > 0, "reserved seats filled: \(reserved)")
        // 10 replications: at 4 the difference (1.3 points [0.7, 1.9] at 30, `compare` with the
        // share-0 overlay) was within seed noise of the 0.5-point margin once issue 25 moved the
        // stochastic path.
        let reservedOn = mean(.attendanceTenant, seats, reps: 10, seed: 4)
        let askedOnly = mean(.attendanceTenant, try load(busy + ["incentives.tenant_seats.share=0"]), reps: 10, seed: 4)
        #expect(reservedOn > askedOnly + 0.005, "busy council, tenant attendance: asked only \(askedOnly), reserved seats \(reservedOn)")
    }

    /// Issue 12: in the bundled rental-heavy compound (`Scenarios/rental-compound.yaml`, 40 %
    /// tenants, five pillars on) the tenant-seats scheme binds: sign-ups pass the threshold, the
    /// reserved seats are filled (`reserved_tenant_seats` > 0; 0 without the scheme) and tenants
    /// attend more. With tenants represented, the tenure grievance of tenants not heard
    /// themselves eases by `grievance.representation_relief` (0.25 × 0.25 at most): tenants'
    /// satisfaction rises by a few points, owners' does not move.
    @Test func tenantSeatsBindInTheRentalCompound() throws {
        let base = bundledScenarios("rental-compound.yaml").path
        let scheme = bundledScenarios("schemes/tenant-seats.yaml").path
        let loader = ScenarioLoader(schema: GovernanceModel.schema)
        func load(_ overlays: [String], _ extra: [String] = []) throws -> Scenario {
            let s = try loader.load(base, overlays: overlays, overrides: extra)
            try GovernanceModel.validate(s)
            return s
        }
        // The sign-up intercept is raised by 1 logit (−2.5 → −1.5): before issue 25 the points
        // of the five-pillar mode added 0.75 logit to every sign-up, and the traditional activity
        // now draws fewer households a month (fewer active ties); at the fitted −2.5 the sign-ups
        // no longer pass the election threshold here until the refit. The test is of the seats
        // where they bind.
        let signups = ["deliberation.signup_intercept=-1.5"]
        let off = try load([], signups), on = try load([scheme], signups)
        #expect(on.parameters.double("population.tenant_share") == 0.4)
        let seatsOn = mean(.reservedTenantSeats, on, reps: 3, seed: 3), seatsOff = mean(.reservedTenantSeats, off, reps: 3, seed: 3)
        #expect(seatsOn > 0.2 && seatsOff == 0, "reserved tenant seats per council: \(seatsOff) → \(seatsOn)")
        let attendOff = mean(.attendanceTenant, off, reps: 3, seed: 3), attendOn = mean(.attendanceTenant, on, reps: 3, seed: 3)
        #expect(attendOn > attendOff + 0.01, "tenant attendance \(attendOff) → \(attendOn)")
        // Representation: the same runs with and without the relief.
        let unrepresented = try load([scheme], signups + ["satisfaction.grievance.representation_relief=0"])
        var tenants = 0.0, owners = 0.0
        for seed: UInt64 in [1, 2] {
            let a = GovernanceModel.simulate(unrepresented, seed: seed) { _, _ in }
            let b = GovernanceModel.simulate(on, seed: seed) { _, _ in }
            func meanS(_ c: Community, _ tenure: Tenure) -> Double {
                let hs = (0..<c.hh.count).filter { c.hh.tenure[$0] == tenure.rawValue }
                return hs.map { Double(c.satisfaction($0)) }.reduce(0, +) / Double(hs.count)
            }
            tenants += (meanS(b, .tenant) - meanS(a, .tenant)) / 2
            owners += (meanS(b, .owner) - meanS(a, .owner)) / 2
        }
        // With the raised sign-ups the two runs' paths part more (seed 1 and 2: owners −0.011,
        // tenants +0.004 on the branch of issue 25), so the relief is read as tenants against owners.
        #expect(tenants - owners > 0.005 && tenants < 0.0625, "tenants' satisfaction with representation: +\(tenants), owners' \(owners)")
        #expect(abs(owners) < 0.02, "owners' satisfaction: \(owners)")
    }

    @Test func representativesAreElectedWhenSignUpsExceedTheThreshold() throws {
        // Many sign-ups and 10 seats: at most ~10 + rounding attend each council.
        let s = try scenario(Self.on + "deliberation.signup_intercept: 3\ndeliberation.seats: 10\nparticipation.window_days: 30\n")
        var c = GovernanceModel.simulate(s, seed: 5) { _, _ in }
        let attended = c.deliberation.lastAttended.filter { $0 > Int32(359 - 30) }.count
        #expect(attended > 0 && attended <= 16, "attended \(attended)")
        _ = c.observe(day: 359)
        let few = try scenario(Self.on + "deliberation.signup_intercept: -6\n")
        let d = GovernanceModel.simulate(few, seed: 5) { _, _ in }
        #expect(d.hh.roles.filter { $0 & Roles.representative.rawValue != 0 }.isEmpty, "below the threshold nobody is elected")
    }

    @Test func formalismIsMeasuredAndErodesTrust() throws {
        let base = "simulation.days: 540\ndeliberation.enabled: true\n"
        let honest = try scenario(base + "deliberation.formalism: 0\n")
        let box = try scenario(base + "deliberation.formalism: 1\n")
        #expect(mean(.formalismShare, honest) == 0)
        #expect(mean(.formalismShare, box) == 1)
        #expect(mean(.trustMean, box) < mean(.trustMean, honest))
        #expect(mean(.satisfactionMean, box) < mean(.satisfactionMean, honest))
    }

    @Test func opinionRoundsKeepOpinionsInRangeAndDeffuantKeepsTheMean() {
        let d = Deliberation(streams: StreamSet(replicationSeed: 1))
        var x = (0..<50).map { Double($0) / 49 }
        let m0 = x.reduce(0, +)
        d.debate(&x, pairings: 500, epsilon: 0.3, mu: 0.4)
        #expect(abs(x.reduce(0, +) - m0) < 1e-9)
        d.hkRound(&x, among: Array(x.indices), epsilon: 0.2)
        #expect(x.allSatisfy { $0 >= 0 && $0 <= 1 })
        var y = [0.1, 0.15, 0.9]
        d.hkRound(&y, among: [0, 1, 2], epsilon: 0.1)
        #expect(abs(y[0] - 0.125) < 1e-12 && y[2] == 0.9)
    }
}

/// The steps of co-deliberation each matter (issue: every mechanism does what the essay says).
extension DeliberationTests {
    static func fivePillars(_ extra: [String] = []) throws -> Scenario {
        try GovernanceModel.load(bundledScenarios("five-pillars.yaml").path, overrides: extra)
    }

    /// 三个优先: ranking by need alone, by public interest alone or by solvability alone puts
    /// different topics on the councils' agendas, and solvability first leads to fewer
    /// co-construction projects than need first (plans needing money rank lower).
    @Test func theThreePrioritiesGiveDifferentAgendas() throws {
        let only = ["need": ["1", "0", "0"], "public": ["0", "1", "0"], "solvable": ["0", "0", "1"]]
        func agendas(_ key: String) throws -> [[UInt8]] {
            let w = only[key]!
            let s = try Self.fivePillars(["deliberation.weight_need=\(w[0])", "deliberation.weight_public=\(w[1])",
                                          "deliberation.weight_solvable=\(w[2])"])
            return (0..<3).map { rep in
                GovernanceModel.simulate(s, seed: Seeds.replication(master: 3, index: rep)) { _, _ in }
                    .deliberation.agendaLog.map(\.category)
            }
        }
        let need = try agendas("need"), pub = try agendas("public"), solv = try agendas("solvable")
        func differing(_ a: [[UInt8]], _ b: [[UInt8]]) -> Double {
            var n = 0, d = 0
            for (x, y) in zip(a, b) { for (p, q) in zip(x, y) { n += 1; if p != q { d += 1 } } }
            return Double(d) / Double(max(1, n))
        }
        // Months whose topic differs between two rankings (the runs share their random numbers
        // only until the first different choice, so later months differ for that reason too).
        #expect(differing(need, pub) > 0.2, "need vs public: \(differing(need, pub))")
        #expect(differing(need, solv) > 0.2, "need vs solvable: \(differing(need, solv))")
        #expect(differing(pub, solv) > 0.2, "public vs solvable: \(differing(pub, solv))")
        // The first council already differs in at least one replication: the scores, not the noise.
        #expect(zip(need, solv).contains { $0.first != $1.first } || zip(need, pub).contains { $0.first != $1.first })
        let byNeed = try Self.fivePillars(["deliberation.weight_public=0", "deliberation.weight_solvable=0"])
        let bySolvability = try Self.fivePillars(["deliberation.weight_need=0", "deliberation.weight_public=0"])
        let projects = pairedEffect(.projectsCompleted, byNeed, bySolvability)
        #expect(projects.difference.hi < 0, "projects, solvable first − need first: \(projects.difference)")
    }

    /// Without the opinion process (no background information, no statements round, no debate)
    /// attendees vote on their first impression, which the status-quo bias holds below the
    /// plan's merit: approval falls.
    @Test func removingTheOpinionProcessLowersApproval() throws {
        let with = try Self.fivePillars()
        let without = try Self.fivePillars(["deliberation.background_pull=0", "deliberation.expert_pull=0",
                                            "deliberation.hk_epsilon=0", "deliberation.debate_pairings=0"])
        // One council a month: approval is noisy, so 30 replications (as the inventory's).
        let d = pairedEffect(.approvalShare, with, without, reps: 30)
        #expect(d.difference.hi < 0, "approval without the opinion process − with: \(d.difference)")
        #expect(d.difference.mean < -0.02)
    }

    /// Experts improve technical plans and pull opinions toward the evidence: with every topic
    /// technical, councils without experts approve less.
    @Test func expertsRaiseApprovalOfTechnicalPlans() throws {
        let base = ["deliberation.technical_share=1"]
        let d = pairedEffect(.approvalShare, try Self.fivePillars(base), try Self.fivePillars(base + ["deliberation.experts=false"]))
        #expect(d.difference.hi < 0, "approval without experts − with: \(d.difference)")
    }

    /// 复议: a resolution found not carried out at the look-back review returns to the next
    /// council's agenda; with re-deliberation off none does.
    @Test func failedResolutionsReturnToTheNextAgenda() throws {
        func returned(_ p: String) throws -> Int {
            let s = try Self.fivePillars(["deliberation.formalism=0.5", "deliberation.redeliberation=\(p)"])
            return GovernanceModel.simulate(s, seed: 11) { _, _ in }.deliberation.agendaLog.filter(\.returned).count
        }
        #expect(try returned("0") == 0)
        #expect(try returned("1") > 3)
    }
}
