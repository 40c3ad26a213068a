import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

@Suite("Co-governance")
struct CoGovernanceTests {
    /// Direction: the whistle rule shortens the resolution of multi-department problems.
    @Test func whistleShortensMultiDepartmentResolution() throws {
        let base = "simulation.days: 360\nproblems.multi_department_share: 1\n"
        let off = mean(.resolutionDaysMean, try scenario(base))
        let on = mean(.resolutionDaysMean, try scenario(base + "governance.whistle.enabled: true\n"))
        #expect(on < off * 0.6, "whistle off \(off) days, on \(on) days")
    }

    @Test func fatigueErodesTheWhistle() throws {
        let base = "simulation.days: 360\nproblems.multi_department_share: 1\nproblems.rate_per_100hh_day: 2\ngovernance.whistle.enabled: true\n"
        let fresh = mean(.resolutionDaysMean, try scenario(base))
        let tired = mean(.resolutionDaysMean, try scenario(base + "governance.whistle.fatigue: 2\n"))
        #expect(tired > fresh)
    }

    @Test func photoReportingCountsAsParticipationAndSpeedsDetection() throws {
        let off = try scenario("simulation.days: 360\n")
        let on = try scenario("simulation.days: 360\ngovernance.photo.enabled: true\n")
        #expect(mean(.participationRate, on) > mean(.participationRate, off) + 0.02)
        #expect(mean(.resolutionDaysMean, on) < mean(.resolutionDaysMean, off))
    }

    @Test func noComplaintsWhenNobodyComplains() throws {
        let s = try scenario("simulation.days: 200\ngovernance.complaint_probability: 0\ngovernance.other_complaints_per_100hh_month: 0\n")
        #expect(mean(.complaints, s, reps: 2) == 0)
    }

    @Test func fasterServiceRaisesSatisfaction() throws {
        // Residents' expectations form in the traditional warm-up at the same speed; then the
        // service changes (by the timeline) and satisfaction follows the disconfirmation.
        let change = { (d: Int) in "simulation.days: 360\ntimeline:\n  - day: 30\n    set: {governance.community_days: \(d)}\n" }
        let slow = try scenario(change(20))
        let fast = try scenario(change(1))
        #expect(mean(.satisfactionRate, fast) > mean(.satisfactionRate, slow))
        #expect(mean(.complaints, fast) < mean(.complaints, slow))
    }
}
