import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

/// Drivers that drive (issue 25): for each input docs/ODD.md names as a driver of
/// satisfaction, complaints or contributions, three or more levels on common random numbers
/// (the same seeds at every level) move the output in the stated direction at every step.
/// Satisfaction and complaints are measured in the traditional compound (its satisfaction sits
/// near the threshold, where the drivers show), contributions on a single scheduled project.
@Suite("Drivers move their outputs in the stated direction")
struct DriverDirectionTests {
    struct Driver: CustomTestStringConvertible, Sendable {
        var path: String, levels: [Double], output: Output, rises: Bool
        var testDescription: String { "\(path) → \(output.name) \(rises ? "rises" : "falls")" }
    }

    static let small = ["population.households=300", "simulation.days=360", "simulation.warmup_days=240",
                        "simulation.summary_days=180"]

    /// Satisfaction and complaints (ODD §7.4, §7.5, §7.13).
    static let service: [Driver] = [
        Driver(path: "governance.community_days", levels: [5, 14, 40], output: .satisfactionMean, rises: false),
        Driver(path: "governance.grid_workers_per_grid", levels: [0, 1, 3], output: .satisfactionMean, rises: true),
        Driver(path: "disputes.rate_per_100hh_month", levels: [0.5, 1.5, 4.5], output: .satisfactionMean, rises: false),
        Driver(path: "disputes.mediation_probability", levels: [0, 0.5, 1], output: .satisfactionMean, rises: true),
        Driver(path: "governance.complaint_probability", levels: [0, 0.35, 1], output: .satisfactionMean, rises: false),
        Driver(path: "satisfaction.loss_aversion", levels: [1, 2.25, 4], output: .satisfactionMean, rises: false),
        Driver(path: "governance.complaint_probability", levels: [0, 0.35, 1], output: .complaints, rises: true),
        Driver(path: "governance.other_complaints_per_100hh_month", levels: [0, 0.3, 1], output: .complaints, rises: true),
        Driver(path: "disputes.rate_per_100hh_month", levels: [0.5, 1.5, 4.5], output: .complaints, rises: true),
    ]

    @Test(arguments: service)
    func serviceDriversMoveSatisfactionAndComplaints(d: Driver) throws {
        let path = bundledScenarios("traditional.yaml").path
        // The warm-up (traditional mode) sees each level: every level is anchored on the middle one, as an overlay.
        let anchor = try GovernanceModel.load(path, overrides: Self.small + ["\(d.path)=\(formatParam(d.levels[1]))"])
        var last: Double? = nil
        for x in d.levels {
            var s = try GovernanceModel.load(path, overrides: Self.small + ["\(d.path)=\(formatParam(x))"])
            if s.parameters[d.path] != anchor.parameters[d.path] { s.anchorRevert = [d.path: anchor.parameters[d.path]] }
            let y = mean(d.output, s, reps: 6, seed: 31)
            if let l = last { #expect(d.rises ? y > l : y < l, "\(d.path) = \(x): \(d.output.name) \(y) after \(l)") }
            last = y
        }
    }

    static let project = """
    population.households: 300
    simulation.days: 200
    simulation.warmup_days: 0
    construction.enabled: true
    construction.crowdfunding: false
    projects:
      - {name: p, category: infrastructure, cost: 400000, start_day: 10, funding_days: 30, duration_days: 30, by_floor: true}

    """

    /// Contributions (ODD §7.7): what the project gains the household and its means raise the
    /// share paying; the bill, protest and a residents' share that is larger lower it.
    static let contributions: [Driver] = [
        Driver(path: "construction.wtp_median", levels: [300, 1000, 3000], output: .contributionShare, rises: true),
        Driver(path: "construction.floor_gain", levels: [0, 0.1, 0.3], output: .contributionShare, rises: true),
        Driver(path: "construction.tenant_factor", levels: [0.2, 0.5, 1], output: .contributionShare, rises: true),
        Driver(path: "construction.car_factor", levels: [0.8, 1.3, 2.5], output: .contributionShare, rises: true),
        Driver(path: "construction.elderly_factor", levels: [0.4, 0.8, 1.5], output: .contributionShare, rises: true),
        Driver(path: "construction.wtp_trust_weight", levels: [0, 1, 3], output: .contributionShare, rises: true),
        Driver(path: "construction.protest_zero", levels: [0, 0.05, 0.3], output: .contributionShare, rises: false),
        Driver(path: "construction.residents_share", levels: [0.1, 0.3, 0.9], output: .contributionShare, rises: false),
    ]

    @Test(arguments: contributions)
    func contributionDriversMoveThePayingShare(d: Driver) throws {
        var last: Double? = nil
        for x in d.levels {
            // Trust varies between households (mean ½ is the reference), so its weight moves WTP both ways:
            // a trusting compound (mean 0.7) pays more the more trust counts.
            let trust = d.path == "construction.wtp_trust_weight" ? "population.trust_mean: 0.7\n" : ""
            let s = try scenario(Self.project + trust + "population.tenant_share: 0.4\n\(d.path): \(formatParam(x))\n")
            let y = mean(d.output, s, reps: 4, seed: 9)
            if let l = last { #expect(d.rises ? y > l : y < l, "\(d.path) = \(x): \(d.output.name) \(y) after \(l)") }
            last = y
        }
    }

    /// The bill: the median cost of resolution projects at four levels lowers the share paying at each step.
    @Test func theBillLowersThePayingShare() throws {
        var last: Double? = nil
        for cost in [30_000.0, 120_000, 480_000, 1_920_000] {
            let s = try GovernanceModel.load(bundledScenarios("five-pillars.yaml").path,
                                             overrides: Self.small + ["simulation.days=720", "construction.cost_median=\(formatParam(cost))"])
            let y = mean(.contributionShare, s, reps: 4, seed: 9)
            if let l = last { #expect(y < l, "cost_median \(cost): contribution_share \(y) after \(l)") }
            last = y
        }
    }
}
