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

    /// Better amenities mean fewer problems: each category's rate is its share × the rate ×
    /// ((1 − a_k) / 0.5)^η. With every amenity at 0.8 instead of the anchor 0.5 problems fall to
    /// 0.2 / 0.5 = 40 %; at 0.2 they rise to 160 %; with η = 0 amenities do not matter. (The
    /// warm-up is off so that only the set levels count.)
    @Test func betterAmenitiesMeanFewerProblems() throws {
        func arisen(_ level: Double, _ eta: Double = 1) throws -> Double {
            let cats = ["infrastructure", "environment", "parking", "property_service", "safety"]
            let s = try scenario("population.households: 200\nsimulation.days: 360\nsimulation.warmup_days: 0\n"
                + "problems.rate_per_100hh_day: 2\nproblems.amenity_elasticity: \(eta)\n"
                + cats.map { "amenity.\($0): \(level)\n" }.joined())
            let runs = (0..<3).map { GovernanceModel.simulate(s, seed: Seeds.replication(master: 8, index: $0)) { _, _ in }.arisenTotal }
            return Double(runs.reduce(0, +)) / Double(runs.count)
        }
        let anchor = try arisen(0.5), good = try arisen(0.8), poor = try arisen(0.2)
        #expect(abs(anchor / (2 * 2 * 360) - 1) < 0.05, "anchor: \(anchor) problems, expected \(2 * 2 * 360)")
        #expect(abs(good / anchor - 0.4) < 0.04, "amenities 0.8: \(good) problems vs \(anchor) at 0.5")
        #expect(abs(poor / anchor - 1.6) < 0.1, "amenities 0.2: \(poor) problems vs \(anchor) at 0.5")
        #expect(abs(try arisen(0.8, 0) / anchor - 1) < 0.05)
    }

    /// Problems have a category: with nothing ever detected (so every problem stays in the pool)
    /// the categories follow the weights × deficits. An environment left at 0.1 (deficit 1.8 at
    /// the anchor's 1) makes environment problems 0.25·1.8 / (0.25·1.8 + 0.75) = 37.5 % of all,
    /// against their 25 % weight when every category is at the anchor; and the only category
    /// with weight gives all the problems.
    @Test func problemCategoriesFollowAmenityDeficits() throws {
        func shares(_ extra: String) throws -> [Double] {
            let s = try scenario("population.households: 300\nsimulation.days: 300\nsimulation.warmup_days: 0\n"
                + "problems.rate_per_100hh_day: 1\ngovernance.patrol_detection: 0\ngovernance.resident_notice: 0\n" + extra)
            var counts = [Double](repeating: 0, count: AmenityCategory.allCases.count)
            for r in 0..<3 {
                let c = GovernanceModel.simulate(s, seed: Seeds.replication(master: 6, index: r)) { _, _ in }
                #expect(c.problems.count == c.arisenTotal)
                for k in c.problems.category { counts[Int(k)] += 1 }
            }
            let total = counts.reduce(0, +)
            return counts.map { $0 / total }
        }
        let env = AmenityCategory.environment.rawValue
        let even = try shares(""), worn = try shares("amenity.environment: 0.1\n")
        #expect(abs(even[env] - 0.25) < 0.03 && abs(even[0] - 0.35) < 0.03, "shares at the anchor: \(even)")
        #expect(abs(worn[env] - 0.375) < 0.03, "environment share with a worn environment: \(worn[env])")
        let only = try shares((["infrastructure", "environment", "parking", "property_service"].map { "problems.category.\($0): 0\n" }).joined())
        #expect(only[AmenityCategory.safety.rawValue] == 1)
    }
}
