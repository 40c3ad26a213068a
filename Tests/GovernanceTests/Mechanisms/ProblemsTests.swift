import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

/// Problems and needs arise (`Problems.swift`, ODD §7.3): a Poisson number per day with mean
/// rate × households / 100; a share needs 2…k government departments, the rest the community alone.
@Suite("Problems")
struct ProblemsTests {
    static let base = "population.households: 200\nsimulation.days: 300\nsimulation.warmup_days: 60\n"

    /// The arrival rate sets the number of problems: rate × households / 100 per day, over the
    /// warm-up and the run (Poisson: within a few per cent over 4 runs of ~400–1,600 problems).
    @Test func arrivalRateScalesProblemsArisen() throws {
        func arisen(_ rate: Double) throws -> Double {
            let s = try scenario(Self.base + "problems.rate_per_100hh_day: \(rate)\n")
            let runs = (0..<4).map { GovernanceModel.simulate(s, seed: Seeds.replication(master: 7, index: $0)) { _, _ in }.arisenTotal }
            return Double(runs.reduce(0, +)) / Double(runs.count)
        }
        let days = 300.0 + 60
        let low = try arisen(0.5), high = try arisen(2)
        #expect(abs(low / (0.5 * 2 * days) - 1) < 0.06, "rate 0.5: \(low) problems, expected \(0.5 * 2 * days)")
        #expect(abs(high / (2 * 2 * days) - 1) < 0.04, "rate 2: \(high) problems, expected \(2 * 2 * days)")
        #expect(try arisen(0) == 0)
    }

    /// More problems also mean more complaints about overdue ones (the background of other
    /// complaints switched off): roughly in proportion to the rate.
    @Test func arrivalRateScalesComplaints() throws {
        let s = Self.base + "governance.other_complaints_per_100hh_month: 0\n"
        let low = mean(.complaints, try scenario(s + "problems.rate_per_100hh_day: 0.5\n"))
        let high = mean(.complaints, try scenario(s + "problems.rate_per_100hh_day: 2\n"))
        #expect(low > 0)
        #expect(high / low > 2.5 && high / low < 5.5, "complaints at rate 0.5: \(low), at rate 2: \(high)")
    }

    /// Multi-department problems take longer than the community's own (the slowest of k
    /// departments plus coordination, against one community repair), and the mean resolution
    /// time grows with their share — about linearly, a mixture of the two kinds.
    @Test func multiDepartmentShareRaisesResolutionDays() throws {
        func days(_ share: Double, _ extra: String = "") throws -> Double {
            mean(.resolutionDaysMean, try scenario(Self.base + "problems.multi_department_share: \(share)\n" + extra), reps: 4)
        }
        let none = try days(0), half = try days(0.5), all = try days(1)
        #expect(all > 2 * none, "resolution days: community only \(none), all multi-department \(all)")
        #expect(none < half && half < all, "share 0: \(none), 0.5: \(half), 1: \(all)")
        #expect(abs(half - (none + all) / 2) < 0.2 * (all - none), "share 0.5: \(half), midpoint \((none + all) / 2)")
        // More departments per problem: slower still.
        let two = try days(1, "problems.max_departments: 2\n"), ten = try days(1, "problems.max_departments: 10\n")
        #expect(ten > two + 5, "at most 2 departments: \(two) days, at most 10: \(ten)")
    }

    /// A problem affects the household's tied neighbours too (a broken light is shared): each
    /// resolution's disconfirmation reaches its ~5 ties at half weight, so satisfaction follows a
    /// change of service (community repairs in 1 day instead of 20, from day 30) about
    /// 1 + 5/2 ≈ 3.5 times as strongly as when only the household itself is affected.
    @Test func sharedProblemsSpreadSatisfaction() throws {
        func gap(_ neighbours: Bool) throws -> Double {
            let s = { (d: Int) in try scenario(Self.base + """
                problems.affect_neighbours: \(neighbours)
                timeline:
                  - day: 30
                    set: {governance.community_days: \(d)}
                """) }
            return mean(.satisfactionMean, try s(1)) - mean(.satisfactionMean, try s(20))
        }
        let alone = try gap(false), shared = try gap(true)
        #expect(alone > 0.02, "satisfaction gap fast − slow service, household alone: \(alone)")
        #expect(shared > 2.5 * alone && shared < 4.5 * alone, "satisfaction gap with neighbours \(shared), alone \(alone)")
    }

    /// The deadline defines the resolution rate: a longer deadline counts more problems as
    /// resolved in time. It is only a measure: the process itself (and so the resolution
    /// times) is exactly the same.
    @Test func deadlineSetsTheResolutionRate() throws {
        let short = try scenario(Self.base + "problems.deadline_days: 5\n")
        let long = try scenario(Self.base + "problems.deadline_days: 60\n")
        let rShort = mean(.resolutionRate, short, reps: 4), rLong = mean(.resolutionRate, long, reps: 4)
        #expect(rLong > rShort + 0.2, "resolution rate within 5 days \(rShort), within 60 days \(rLong)")
        #expect(rLong > 0.9)
        let dShort = mean(.resolutionDaysMean, short, reps: 4), dLong = mean(.resolutionDaysMean, long, reps: 4)
        #expect(dShort == dLong, "resolution days \(dShort) vs \(dLong)")
    }
}
