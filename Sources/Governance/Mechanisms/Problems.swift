import Foundation
import SimCore
import SimConfig

/// Problems and needs arise (docs/ODD.md §3): each day a Poisson number of problems, each in
/// one amenity category (infrastructure, environment, parking, property service, safety) with
/// a rate that falls as that category's amenity level rises — better facilities break down
/// less — and each needing either the community alone or 2…k government departments.
public struct ProblemSettings: ParameterGroup {
    public init() {}
    public var ratePer100Day: Double = 0.5
    public var multiDepartmentShare: Double = 0.2
    public var maxDepartments: Int = 4
    public var expectationDays: Double = 10
    public var deadlineDays: Int = 30
    public var affectedNeighbours: Bool = true
    /// Relative weight of each category's problems at the anchor amenity level (`AmenityCategory` order).
    public var categoryWeights: [Double] = [0.35, 0.25, 0.15, 0.15, 0.10]
    public var amenityElasticity: Double = 1
    /// Amenity level at which a category's problems arise at its share of `rate_per_100hh_day`.
    public static let anchorLevel = 0.5

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
        .number(\.categoryWeights[AmenityCategory.infrastructure.rawValue], "category.infrastructure", 0...100, unit: "relative weight",
                "Relative weight of infrastructure problems (pipes, roofs, lights, stairs) in the arrivals at the anchor amenity level 0.5; weights are normalised over the five categories.",
                source: "rough prior: repairs are the largest group of residents' hotline requests (Zhang et al. 2022)"),
        .number(\.categoryWeights[AmenityCategory.environment.rawValue], "category.environment", 0...100, unit: "relative weight",
                "Relative weight of environment problems (waste, greenery, cleanliness).", source: "rough prior"),
        .number(\.categoryWeights[AmenityCategory.parking.rawValue], "category.parking", 0...100, unit: "relative weight",
                "Relative weight of parking problems.", source: "rough prior"),
        .number(\.categoryWeights[AmenityCategory.propertyService.rawValue], "category.property_service", 0...100, unit: "relative weight",
                "Relative weight of property-service problems (management, security guards, services).", source: "rough prior"),
        .number(\.categoryWeights[AmenityCategory.safety.rawValue], "category.safety", 0...100, unit: "relative weight",
                "Relative weight of safety problems (fire hazards, locks, lighting of paths).", source: "rough prior"),
        .number(\.amenityElasticity, "amenity_elasticity", 0...5, unit: "elasticity",
                "Elasticity η of a category's problem rate to its amenity deficit: rate × share_k × ((1 − a_k) / (1 − 0.5))^η, so at the anchor level 0.5 the category has its share of the rate and a category brought to level 1 has no problems (η = 0: rates ignore amenities).",
                source: "reasoning: problems are breakdowns of what is worn (a proportional hazard in the deficit, η = 1); rough prior"),
    ])

    /// Daily arrival rate per household of category k's problems at amenity level `level`.
    public func rate(_ k: Int, level: Double, weightSum: Double) -> Double {
        guard weightSum > 0 else { return 0 }
        let deficit = max(0, 1 - level) / (1 - Self.anchorLevel)
        let factor = amenityElasticity == 1 ? deficit : pow(deficit, amenityElasticity)
        return ratePer100Day / 100 * categoryWeights[k] / weightSum * factor
    }
}

/// Open problems, struct of arrays; resolved ones are swap-removed.
public struct ProblemPool: Sendable {
    public var arose: [Int32] = []
    public var household: [Int32] = []
    public var departments: [UInt8] = []
    /// Amenity category of the problem (`AmenityCategory.rawValue`).
    public var category: [UInt8] = []
    /// Marks "not yet" in `detected` and `resolveDay` (days may be negative during the warm-up).
    public static let notYet = Int32.min
    public var detected: [Int32] = []      // day detected, or notYet
    public var resolveDay: [Int32] = []    // scheduled resolution day, or notYet
    public var complained: [Bool] = []
    public var photo: [Bool] = []          // reported by photo (the reporter gets the feedback)
    public var count: Int { arose.count }

    public mutating func add(arose d: Int, household h: Int, departments k: Int, category: Int = 0) {
        arose.append(Int32(d)); household.append(Int32(h)); departments.append(UInt8(k)); self.category.append(UInt8(category))
        detected.append(Self.notYet); resolveDay.append(Self.notYet); complained.append(false); photo.append(false)
    }
    public mutating func remove(at i: Int) {
        let last = count - 1
        arose.swapAt(i, last); arose.removeLast()
        household.swapAt(i, last); household.removeLast()
        departments.swapAt(i, last); departments.removeLast()
        category.swapAt(i, last); category.removeLast()
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
        // Each category's rate falls with its amenity level; the day's problems are one Poisson
        // draw of the total, each assigned a category in proportion to the rates.
        let cats = AmenityCategory.allCases.count
        let weightSum = s.categoryWeights.reduce(0, +)
        var total = 0.0
        for j in 0..<cats { total += s.rate(j, level: c.amenity[j], weightSum: weightSum) }
        let k = rng.poisson(total * Double(n))
        for _ in 0..<k {
            let h = rng.int(below: n)
            let depts = rng.bernoulli(s.multiDepartmentShare) ? 2 + rng.int(below: s.maxDepartments - 1) : 0
            var u = rng.uniform() * total, cat = 0
            while cat < cats - 1 {
                let r = s.rate(cat, level: c.amenity[cat], weightSum: weightSum)
                if u < r { break }
                u -= r; cat += 1
            }
            c.problems.add(arose: day, household: h, departments: depts, category: cat)
            c.arisen.add()
            c.arisenTotal += 1
        }
    }
}
