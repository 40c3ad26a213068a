import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

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
        let base = Self.on + "deliberation.divisive_share: 1\ndeliberation.major_share: 0\n"
        let without = mean(.approvalShareLowFloors, try scenario(base + "deliberation.compensation: false\n"), reps: 8)
        let with = mean(.approvalShareLowFloors, try scenario(base + "deliberation.compensation: true\n"), reps: 8)
        #expect(with > without + 0.05, "without \(without), with \(with)")
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
