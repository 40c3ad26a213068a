import Foundation
import SimCore
import SimConfig

/// A project's specification and funding plan. Projects from resolutions take the plan from
/// the settings; the scenario's `projects:` list gives its own.
public struct ProjectPlan: Sendable, Equatable {
    public var name: String
    public var category: AmenityCategory
    public var cost: Double
    public var startDay: Int
    public var durationDays: Int
    public var fundingDays: Int
    public var fiscalShare: Double
    public var fiscalCap: Double
    public var residentsShare: Double
    public var byFloor: Bool
    /// Enterprise money in cash or kind pledged in the plan (yuan), beyond sponsorship drawn.
    public var enterprisePledge: Double
    public var gain: Double
    /// Projects from resolutions draw on the community's yearly fiscal budget; scenario
    /// projects come with their own allocation (their cap).
    public var fromResolution = false
}

public struct Project: Sendable {
    public enum Phase: Sendable, Equatable { case funding, building, done, abandoned }
    public var id: Int
    public var plan: ProjectPlan
    public var phase: Phase = .funding
    public var raised = [Double](repeating: 0, count: Ledger.Source.allCases.count)
    public var gap: Double = .nan
    public var fundedShare: Double = 0
    public var finishDay = -1
    public var totalRaised: Double { raised.reduce(0, +) }
}

/// Co-construction state of one community.
public struct ConstructionState: Sendable {
    public var projects: [Project] = []
    /// Scenario projects not started yet.
    public var scheduled: [ProjectPlan] = []
    public var fiscalSpentThisYear = 0.0
    public var yearStart = 0
    /// Households assessed a residents' share in the funding rounds so far, and those who paid it.
    public var assessed = 0
    public var paid = 0
    public init() {}
}

extension Community {
    /// A resolution asks for a project; returns its id.
    mutating func proposeProject(category: AmenityCategory, day: Int) -> Int {
        let s = settings.construction
        let id = construction.projects.count
        let plan = ProjectPlan(name: "resolution-\(id)", category: category, cost: .nan, startDay: day, durationDays: s.durationDays,
                               fundingDays: s.fundingDays, fiscalShare: s.fiscalShare, fiscalCap: s.fiscalCap,
                               residentsShare: s.residentsShare, byFloor: s.byFloor, enterprisePledge: 0, gain: s.gain,
                               fromResolution: true)
        construction.projects.append(Project(id: id, plan: plan))
        return id
    }
    /// When project `id` has finished or been abandoned: the day and whether it was completed.
    func projectFinished(_ id: Int) -> (day: Int, completed: Bool)? {
        guard id < construction.projects.count else { return nil }
        let p = construction.projects[id]
        switch p.phase {
        case .done: return (p.finishDay, true)
        case .abandoned: return (p.finishDay, false)
        default: return nil
        }
    }
}

extension ProjectPlan {
    /// Decode the scenario's `projects:` list, with errors naming `projects[i].key`.
    public static func decode(_ node: ConfigNode?, defaults s: ConstructionSettings, file: String) throws -> [ProjectPlan] {
        guard let node else { return [] }
        let keys: Set<String> = ["name", "category", "cost", "start_day", "duration_days", "funding_days", "fiscal_share",
                                 "fiscal_cap", "residents_share", "by_floor", "enterprise_pledge", "gain"]
        return try node.records("projects", keys: keys, entry: "a project").enumerated().map { i, item in
            guard let cost = try item.number("cost", in: 0...1e11) else {
                throw ConfigError(at: item.origin, path: "\(item.path).cost", "missing; expected the project's cost in yuan")
            }
            let cat = try item.text("category") ?? "infrastructure"
            guard let category = AmenityCategory.allCases.first(where: { $0.name == cat }) else {
                throw ConfigError(at: item["category"]?.origin ?? item.origin, path: "\(item.path).category",
                                  "expected one of \(AmenityCategory.allCases.map(\.name).joined(separator: ", ")), got '\(cat)'")
            }
            return ProjectPlan(
                name: try item.text("name") ?? "project-\(i)", category: category, cost: cost,
                startDay: Int(try item.number("start_day", in: 0...36_000, whole: true) ?? 0),
                durationDays: Int(try item.number("duration_days", in: 1...3600, whole: true) ?? Double(s.durationDays)),
                fundingDays: Int(try item.number("funding_days", in: 1...3600, whole: true) ?? Double(s.fundingDays)),
                fiscalShare: try item.number("fiscal_share", in: 0...1) ?? s.fiscalShare,
                fiscalCap: try item.number("fiscal_cap", in: 0...1e11) ?? s.fiscalCap,
                residentsShare: try item.number("residents_share", in: 0...1) ?? s.residentsShare,
                byFloor: try item.bool("by_floor") ?? s.byFloor,
                enterprisePledge: try item.number("enterprise_pledge", in: 0...1e11) ?? 0,
                gain: try item.number("gain", in: 0...1) ?? s.gain)
        }.sorted { $0.startDay < $1.startDay }
    }
}

/// One project as it stands at the end of a replication (`projects.csv`).
public struct ProjectRecord: Sendable {
    public var community: Int
    public var name: String
    public var category: String
    public var cost: Double
    public var startDay: Int
    /// Yuan raised by source (`Ledger.Source` order).
    public var raised: [Double]
    /// NaN while the funding deadline has not passed.
    public var gap: Double
    public var fundedShare: Double
    public var phase: String
    /// Day it was completed or abandoned, or nil.
    public var finishDay: Int?

    public static let header = ["project", "category", "cost", "start_day"]
        + Ledger.Source.allCases.map { "funding_\($0.name)" } + ["raised_total", "gap", "funded_share", "phase", "finish_day"]
    /// The row after the replication and community columns (numbers in CSV form; NaN empty).
    public var fields: [String] {
        [name, category, csvNumber(cost), String(startDay)] + raised.map(csvNumber)
            + [csvNumber(raised.reduce(0, +)), csvNumber(gap), csvNumber(fundedShare), phase, finishDay.map(String.init) ?? ""]
    }
}

extension Community {
    /// Every project of this community (community index `index` in a district, else 0).
    func projectRecords(community index: Int = 0) -> [ProjectRecord] {
        construction.projects.map { p in
            let phase: String
            switch p.phase {
            case .funding: phase = "funding"
            case .building: phase = "building"
            case .done: phase = "done"
            case .abandoned: phase = "abandoned"
            }
            return ProjectRecord(community: index, name: p.plan.name, category: p.plan.category.name, cost: p.plan.cost,
                                 startDay: p.plan.startDay, raised: p.raised, gap: p.gap, fundedShare: p.fundedShare,
                                 phase: phase, finishDay: p.finishDay >= 0 ? p.finishDay : nil)
        }
    }
}

extension Construction {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeConstruction(day: day, into: &out) }
}
