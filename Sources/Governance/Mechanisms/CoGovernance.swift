import Foundation
import SimCore
import SimConfig

/// Co-governance (共治), the daily problem process (docs/ODD.md §3): detection by grid-worker
/// patrols, residents' offline notice and photo reports; dispatch; resolution at community
/// level or by departments — with or without the whistle-and-report rule (吹哨报到);
/// complaints from households whose problem outlasts their expectation.
public struct CoGovernanceSettings: ParameterGroup {
    public init() {}
    public var gridWorkersPerGrid: Int = 1
    public var patrolDetection: Double = 0.08
    public var residentNotice: Double = 0.05
    public var photoEnabled: Bool = false
    public var photoReport: Double = 0.25
    public var photoFixedBoost: Double = 0.57
    public var communityDays: Double = 5
    public var departmentDays: Double = 12
    public var coordinationDays: Double = 2
    public var whistleEnabled: Bool = false
    public var whistleCompliance: Double = 0.95
    public var whistleReportHours: Double = 24
    public var whistleFixDays: Double = 2.5
    public var whistleFatigue: Double = 0
    public var complaintProbability: Double = 0.35
    public var otherComplaints: Double = 0.3

    public static let parameters = ParameterTable<Self>("governance", [
        .count(\.gridWorkersPerGrid, "grid_workers_per_grid", 0...100, unit: "workers", "Grid workers (网格员) per grid; they patrol and detect problems.",
             source: "Chaoyang case: 1 grid worker per grid"),
        .number(\.patrolDetection, "patrol_detection", 0...1, unit: "probability per day",
                "Daily chance that one grid worker at effort 1 detects an open problem in the grid (patrol).",
                source: "rough prior: a weekly round of each building, ~50 % of problems seen per round"),
        .number(\.residentNotice, "resident_notice", 0...1, unit: "probability per day",
                "Daily chance that an affected household reports offline (phone, office, building leader).",
                source: "rough prior; the traditional channel"),
        .flag(\.photoEnabled, "photo.enabled", "Photo reporting (随手拍) through the community app; reports are dispatched automatically.",
              source: "five-pillars essay, co-governance"),
        .number(\.photoReport, "photo.report_probability", 0...1, unit: "probability per day",
                "Daily chance that a digital affected household photographs and reports its problem (at base propensity).",
                source: "rough prior"),
        .number(\.photoFixedBoost, "photo.fixed_boost", 0...5, unit: "relative",
                "Responsiveness feedback: a household whose report was fixed reports again this much more often.",
                source: "Sjoberg, Mellon & Peixoto 2017 (PAR 77:340), FixMyStreet n = 399,364: +57 %"),
        .number(\.communityDays, "community_days", 0.1...365, unit: "days",
                "Mean days (exponential) to fix a community-level problem after detection, at staff effort 1.",
                source: "rough prior (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md)"),
        .number(\.departmentDays, "department_days", 0.1...365, unit: "days",
                "Mean days (exponential) for one summoned department to act without the whistle rule.",
                source: "rough prior (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md), informed by Beijing's 15 days mean before whistle-and-report"),
        .number(\.coordinationDays, "coordination_days", 0...90, unit: "days",
                "Extra days of coordination for each department beyond the first, without the whistle rule.",
                source: "reasoning: sequential hand-offs between departments"),
        .flag(\.whistleEnabled, "whistle.enabled", "Whistle and report (街乡吹哨、部门报到): multi-department problems summon every department on site within the deadline.",
              source: "Beijing 2018 pilot"),
        .number(\.whistleCompliance, "whistle.compliance", 0...1, unit: "probability",
                "Chance that a summoned department reports on site within the deadline (otherwise it takes its usual time).",
                source: "Beijing case: departments must report within 24 h; rough prior for compliance"),
        .number(\.whistleReportHours, "whistle.report_hours", 1...720, unit: "hours", "Deadline for summoned departments to report on site.",
                source: "Beijing case: 24 hours"),
        .number(\.whistleFixDays, "whistle.fix_days", 0.01...90, unit: "days",
                "Mean days (exponential) from the joint on-site plan to the fix.", source: "rough prior (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md), informed by Beijing's 3.2 days mean after"),
        .number(\.whistleFatigue, "whistle.fatigue", 0...10, unit: "per whistle per 100 households per month",
                "Department fatigue: compliance is divided by (1 + fatigue × whistles per 100 households in the last 30 days).",
                source: "officials warn departments tire when whistles are too frequent; default off"),
        .number(\.complaintProbability, "complaint_probability", 0...1, unit: "probability",
                "Chance that a household complains when its problem outlasts its expectation, or when it raised a neighbour dispute that was not mediated.", source: "rough prior; calibrated per case"),
        .number(\.otherComplaints, "other_complaints_per_100hh_month", 0...100, unit: "complaints per 100 households per month",
                "Complaints about matters neither the problem process nor neighbour disputes cover (fees, staff attitude); a constant background, kept small: complaints arise from overdue problems and unmediated disputes.",
                source: "rough prior 0.3, about a tenth of the complaints the default compound makes; Beijing: complaints fell 42 % while overdue problems nearly vanished, so most complaints are about problems (Beijing whistle-and-report case)"),
    ])
}

public struct CoGovernance: Mechanism {
    public typealias Parameters = CoGovernanceSettings
    public static let name = "cogovernance"
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let g = c.settings.governance
        let other = rng.poisson(g.otherComplaints * Double(c.hh.count) / 100 / 30)
        if other > 0 { c.complaints.add(Double(other)) }
        let patrol = 1 - pow(1 - min(1, g.patrolDetection * c.staffEffort), Double(g.gridWorkersPerGrid))
        var i = 0
        while i < c.problems.count {
            let h = Int(c.problems.household[i])
            // Detection and dispatch.
            if c.problems.detected[i] == ProblemPool.notYet {
                var byPhoto = false
                var found = rng.bernoulli(patrol) || rng.bernoulli(g.residentNotice)
                if !found, g.photoEnabled, c.hh.digital[h] {
                    let base = g.photoReport * (c.hh.reportFixed[h] ? 1 + g.photoFixedBoost : 1)
                    // The propensity to report scales with the household's participation odds relative to the average.
                    let p = min(1, base * Double(2 * sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .report) - c.anchorLogit)))
                    if rng.bernoulli(p) { found = true; byPhoto = true }
                }
                if found {
                    c.problems.detected[i] = Int32(day)
                    c.problems.photo[i] = byPhoto
                    if byPhoto { c.recordAct(h, .report, day: day) }
                    c.problems.resolveDay[i] = Int32(day + resolutionDelay(Int(c.problems.departments[i]), c: &c))
                }
            }
            // Complaint when the problem outlasts the expectation.
            let age = day - Int(c.problems.arose[i])
            if !c.problems.complained[i], Double(age) >= c.expectedDays {
                c.problems.complained[i] = true
                if rng.bernoulli(g.complaintProbability) { c.complain(h) }
            }
            if age == c.settings.problems.deadlineDays + 1 { c.deadlineLog.append((c.problems.arose[i], false)) }
            // Resolution.
            if c.problems.resolveDay[i] != ProblemPool.notYet, Int(c.problems.resolveDay[i]) <= day {
                resolve(i, c: &c, day: day)
                c.problems.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    /// Days from detection to fix. Community-level: exponential at staff effort. Departments:
    /// the slowest of k departments plus coordination — or, under the whistle rule, the slowest
    /// on-site report (compliant departments within the deadline) plus a joint fix.
    func resolutionDelay(_ k: Int, c: inout Community) -> Int {
        let g = c.settings.governance
        if k == 0 {
            return Int(rng.exponential(mean: g.communityDays / max(0.05, c.staffEffort)).rounded(.up))
        }
        if g.whistleEnabled {
            c.whistles.add()
            let perHundred = c.whistles.total * 100 / Double(max(1, c.hh.count))
            let compliance = g.whistleCompliance / (1 + g.whistleFatigue * perHundred)
            var slowest = 0.0
            for _ in 0..<k {
                let t = rng.bernoulli(compliance) ? rng.uniform() * g.whistleReportHours / 24 : rng.exponential(mean: g.departmentDays)
                slowest = max(slowest, t)
            }
            return Int((slowest + rng.exponential(mean: g.whistleFixDays)).rounded(.up))
        }
        var slowest = 0.0
        for _ in 0..<k { slowest = max(slowest, rng.exponential(mean: g.departmentDays)) }
        return Int((slowest + g.coordinationDays * Double(k - 1)).rounded(.up))
    }

    /// Record a resolution and let the affected households judge it against their expectation.
    func resolve(_ i: Int, c: inout Community, day: Int) {
        let h = Int(c.problems.household[i])
        let days = day - Int(c.problems.arose[i])
        c.resolvedCount.add()
        c.resolvedLog.append((Int32(day), Float(days)))
        if days <= c.settings.problems.deadlineDays { c.deadlineLog.append((c.problems.arose[i], true)) }
        let ds = Float(c.serviceShock(days: Double(days)))
        c.shock(h, satisfaction: ds, trust: ds > 0 ? 0.01 : -0.01)
        if c.settings.problems.affectedNeighbours {
            let s = Int(c.hh.tieStart[h]), t = Int(c.hh.tieStart[h + 1])
            for k in s..<t { c.shock(Int(c.hh.tieTarget[k]), satisfaction: 0.5 * ds) }
        }
        if c.problems.photo[i] { c.hh.reportFixed[h] = true }
    }
}

extension Community {
    /// Household `h` complains (an overdue problem, an unmediated dispute): one complaint, and
    /// having to complain lowers its satisfaction by `satisfaction.complaint_weight` and its trust.
    mutating func complain(_ h: Int) {
        complaints.add()
        shock(h, satisfaction: -Float(settings.satisfaction.complaintWeight), trust: -0.02)
    }

    /// Satisfaction shock of a household whose problem was fixed after `t` days (expectation–
    /// disconfirmation, Van Ryzin 2004, 2006): w · ((1 − φ) · p + φ · d). Performance
    /// p = (T⁰ − t)/(T⁰ + t) judges the time against the community's service standard
    /// T⁰ = `problems.expectation_days`, which does not adapt, so slower service lowers
    /// satisfaction for as long as it lasts; disconfirmation d = (E − t)/(E + t) judges it
    /// against the adapting expectation E, × `satisfaction.loss_aversion` when the fix is later
    /// than expected (losses weigh more than gains). Each ratio is tanh(½ ln(T/t)), in (−1, 1).
    @inlinable func serviceShock(days t: Double) -> Double {
        let s = settings.satisfaction
        let norm = settings.problems.expectationDays, e = expectedDays
        let p = (norm - t) / max(norm + t, 1)
        var d = (e - t) / max(e + t, 1)
        if d < 0 { d *= s.lossAversion }
        return s.serviceWeight * ((1 - s.disconfirmationShare) * p + s.disconfirmationShare * d)
    }
}
