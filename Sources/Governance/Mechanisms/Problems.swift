import SimCore
import SimConfig

/// Problems and needs arise (docs/ODD.md §3): per grid and day, a Poisson number of
/// problems; each needs either the community alone or 2…k government departments.
public struct ProblemSettings: ParameterGroup {
    public init() {}
    public var ratePer100Day: Double = 0.5
    public var multiDepartmentShare: Double = 0.2
    public var maxDepartments: Int = 4
    public var expectationDays: Double = 10
    public var deadlineDays: Int = 30
    public var affectedNeighbours: Bool = true

    public static let parameters = ParameterTable<Self>("problems", [
        .number(\.ratePer100Day, "rate_per_100hh_day", 0...100, unit: "problems per 100 households per day",
                "Rate at which problems (repairs, environment, parking, property service, safety) arise.",
                source: "rough prior: ~1.8 problems per household per year, in line with hotline volumes (Zhang et al. 2022)"),
        .number(\.multiDepartmentShare, "multi_department_share", 0...1, unit: "share",
                "Share of problems that need several government departments (vending, illegal building, pollution, fire hazards).",
                source: "rough prior; Beijing: whistles for problems beyond a street's capacity"),
        .count(\.maxDepartments, "max_departments", 2...10, unit: "departments",
             "Multi-department problems need 2…max departments (uniform).", source: "Beijing fire-hazard case: 4 departments"),
        .number(\.expectationDays, "expectation_days", 0.5...365, unit: "days",
                "Residents' initial expectation of the time to resolve a problem (expectation–disconfirmation).",
                source: "Van Ryzin 2004/2006: expectations formed by past performance; set per case to the baseline mean").fixedAtStart(),
        .count(\.deadlineDays, "deadline_days", 1...360, unit: "days",
             "A problem counts as resolved for the resolution rate when fixed within this many days of arising.",
             source: "monthly reporting of hotline resolution rates (Beijing 12345)"),
        .flag(\.affectedNeighbours, "affect_neighbours",
              "A problem also affects the household's tied neighbours (half weight) — a broken light is shared.",
              source: "reasoning: most reported problems concern shared space"),
    ])
}

/// Open problems, struct of arrays; resolved ones are swap-removed.
public struct ProblemPool: Sendable {
    public var arose: [Int32] = []
    public var household: [Int32] = []
    public var departments: [UInt8] = []
    /// Marks "not yet" in `detected` and `resolveDay` (days may be negative during the warm-up).
    public static let notYet = Int32.min
    public var detected: [Int32] = []      // day detected, or notYet
    public var resolveDay: [Int32] = []    // scheduled resolution day, or notYet
    public var complained: [Bool] = []
    public var photo: [Bool] = []          // reported by photo (the reporter gets the feedback)
    public var count: Int { arose.count }

    public mutating func add(arose d: Int, household h: Int, departments k: Int) {
        arose.append(Int32(d)); household.append(Int32(h)); departments.append(UInt8(k))
        detected.append(Self.notYet); resolveDay.append(Self.notYet); complained.append(false); photo.append(false)
    }
    public mutating func remove(at i: Int) {
        let last = count - 1
        arose.swapAt(i, last); arose.removeLast()
        household.swapAt(i, last); household.removeLast()
        departments.swapAt(i, last); departments.removeLast()
        detected.swapAt(i, last); detected.removeLast()
        resolveDay.swapAt(i, last); resolveDay.removeLast()
        complained.swapAt(i, last); complained.removeLast()
        photo.swapAt(i, last); photo.removeLast()
    }
}

public struct ProblemArrival: Mechanism {
    public typealias Parameters = ProblemSettings
    public static let name = "problems"
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.problems
        let n = c.hh.count
        let k = rng.poisson(s.ratePer100Day * Double(n) / 100)
        for _ in 0..<k {
            let h = rng.int(below: n)
            let depts = rng.bernoulli(s.multiDepartmentShare) ? 2 + rng.int(below: s.maxDepartments - 1) : 0
            c.problems.add(arose: day, household: h, departments: depts)
            c.arisen.add()
            c.arisenTotal += 1
        }
    }
}
