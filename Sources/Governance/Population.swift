import SimCore
import SimConfig

/// Population composition and initial state (docs/ODD.md §2, §5).
public struct PopulationSettings: ParameterGroup {
    public init() {}
    public var households: Int = 600
    public var tenantShare: Double = 0.25
    public var youngShare: Double = 0.30
    public var elderlyShare: Double = 0.30
    public var householdsPerBuilding: Int = 30
    public var floors: Int = 6
    public var grids: Int = 6
    public var carShare: Double = 0.4
    public var digital: (young: Double, middle: Double, elderly: Double) = (0.95, 0.85, 0.45)
    public var tiesInBuilding: Int = 4
    public var longTies: Int = 1
    public var motivationMean: Double = 0.5
    public var motivationSD: Double = 0.2
    public var trustMean: Double = 0.5
    public var partyMemberShare: Double = 0.1

    public static let parameters = ParameterTable<Self>("population", [
        .count(\.households, "households", 1...2_000_000, unit: "households",
             "Households (dwellings) in the community; one agent each.",
             source: "Chaoyang compound case: 600 households"),
        .number(\.tenantShare, "tenant_share", 0...1, unit: "share",
                "Share of households that rent.", source: "rough prior for an old urban compound; set per case"),
        .number(\.youngShare, "young_share", 0...1, unit: "share",
                "Share of households whose head is young (18–39).", source: "rough prior; set per case"),
        .number(\.elderlyShare, "elderly_share", 0...1, unit: "share",
                "Share of households whose head is elderly (60+); the rest are middle-aged.",
                source: "rough prior for a 1990s compound; set per case"),
        .count(\.householdsPerBuilding, "households_per_building", 1...10_000, unit: "households",
             "Households per building (the last building takes the remainder).", source: "six-storey walk-up, 5 units per floor"),
        .count(\.floors, "floors", 1...60, unit: "floors", "Floors per building; households spread evenly over floors.",
             source: "typical 1990s walk-up (no elevator), the Hangzhou, Shanghai and Shenzhen elevator-retrofit cases"),
        .count(\.grids, "grids", 1...100_000, unit: "grids", "Grids (网格) the community is divided into; buildings are assigned round-robin.",
             source: "Chaoyang case: 6 grids"),
        .number(\.carShare, "car_share", 0...1, unit: "share", "Share of households owning a car.", source: "rough prior"),
        .number(\.digital.young, "digital_young", 0...1, unit: "share", "Share of young households using the community app.", source: "rough prior (CNNIC internet use by age)"),
        .number(\.digital.middle, "digital_middle", 0...1, unit: "share", "Share of middle-aged households using the app.", source: "rough prior"),
        .number(\.digital.elderly, "digital_elderly", 0...1, unit: "share", "Share of elderly households using the app.", source: "rough prior"),
        .count(\.tiesInBuilding, "ties_in_building", 0...50, unit: "ties", "Same-building neighbour ties per household (nearest doors).",
             source: "HAPPenInGS-N: 5–15 links in all"),
        .count(\.longTies, "long_ties", 0...20, unit: "ties", "Random ties to households elsewhere in the community.",
             source: "small-world rewiring 0.05–0.2 (HAPPenInGS-N)"),
        .number(\.motivationMean, "motivation_mean", 0.01...0.99, unit: "0–1", "Mean intrinsic civic motivation m (Beta distributed).",
                source: "Civic Voluntarism Model (Brady, Verba & Schlozman 1995): engagement as a resource; scale-free prior"),
        .number(\.motivationSD, "motivation_sd", 0.01...0.45, unit: "0–1", "Standard deviation of motivation across households.", source: "rough prior"),
        .number(\.trustMean, "trust_mean", 0.01...0.99, unit: "0–1", "Mean initial trust in community institutions T.", source: "rough prior"),
        .number(\.partyMemberShare, "party_member_share", 0...1, unit: "share", "Share of households with a party member (higher propensity).",
                source: "Shanghai survey: party members voted 65.1 % vs 48.4 %"),
    ])

    /// Cross-field checks the per-parameter ranges cannot express.
    public func validate() -> [(path: String, message: String)] {
        var out: [(String, String)] = []
        if youngShare + elderlyShare > 1 + 1e-9 {
            out.append((Self.path(\.elderlyShare), "young_share + elderly_share must be at most 1 (got \(formatParam(youngShare + elderlyShare)))"))
        }
        let sd2 = motivationSD * motivationSD, mv = motivationMean * (1 - motivationMean)
        if sd2 >= mv {
            out.append((Self.path(\.motivationSD), "must be below √(mean·(1−mean)) = \(formatParam((mv).squareRoot())) for a Beta distribution"))
        }
        return out
    }
}

/// Household groups used in outputs: tenure × age.
public enum Tenure: UInt8, Sendable, CaseIterable { case owner = 0, tenant = 1
    public var name: String { self == .owner ? "owner" : "tenant" }
}
public enum AgeGroup: UInt8, Sendable, CaseIterable { case young = 0, middle = 1, elderly = 2
    public var name: String { ["young", "middle", "elderly"][Int(rawValue)] }
}

/// Household role bits.
public struct Roles: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let volunteer = Roles(rawValue: 1)
    // Bit 2 was a building-leader role that nothing assigned (issue 12): building leaders are
    // not agents; the channels they serve are the offline channels of the mechanisms.
    public static let representative = Roles(rawValue: 4)
    public static let partyMember = Roles(rawValue: 8)
}

/// The households of one community, stored as a struct of arrays (one column per state
/// variable; no object per agent). Index `h` is the household's id.
public struct Households: Sendable {
    public var count: Int
    public var tenure: [UInt8]
    public var age: [UInt8]
    public var building: [Int32]
    public var floor: [UInt8]
    /// Grid of the household's building (UInt32: validation allows up to 100,000 grids).
    public var grid: [UInt32]
    public var car: [Bool]
    public var digital: [Bool]
    public var roles: [UInt8]
    /// Intrinsic civic motivation m ∈ [0,1].
    public var motivation: [Float]
    /// Trust in community institutions T ∈ [0,1].
    public var trust: [Float]
    /// Baseline satisfaction S0 (from the survey baseline) and the decaying experience term z.
    public var satisfactionBase: [Float]
    public var experience: [Float]
    /// Logit of the household's base propensity to take part (group × party membership).
    public var propensityLogit: [Float]
    /// Day of the last act, and the count of acts so far (for elite capture).
    public var lastAct: [Int32]
    public var acts: [Int32]
    /// Last day a photo report of this household was fixed (responsiveness feedback), or −1.
    public var reportFixed: [Bool]
    /// Paid the property fee in the current collection period.
    public var feePaid: [Bool]
    /// Points balance (incentive scheme) and time-bank hours stored.
    public var points: [Float]
    public var timeBankHours: [Float]
    /// Social capital from exchanges and shared activities (0–1, decays); defuses disputes.
    public var socialCapital: [Float]
    /// Ties: CSR adjacency (`tieStart[h]..<tieStart[h+1]` index `tieTarget`).
    public var tieStart: [Int32]
    public var tieTarget: [Int32]
    /// Expectation offset ε_h: how much better than the community's reference the household
    /// expects its amenities to be (amenity level per category; drawn at set-up, `Expectations.swift`).
    public var expectation: [Float] = []
    /// Lasting grievances G_h ≥ 0 held now (recomputed weekly, `Expectations.swift`): subtracted from S.
    public var grievance: [Float] = []
    /// Day of the last civic act and of the last act of service use (Int32.min / 2 if none):
    /// `participation_rate` and `service_use_rate` (ActKind.isCivic).
    public var lastCivic: [Int32] = []
    public var lastService: [Int32] = []
    /// Whether the household responds to material rewards (points, perks); drawn at set-up with
    /// 1 − `incentives.unresponsive_share` from its own stream (Community.init).
    public var rewardResponsive: [Bool] = []

    @inlinable public func group(_ h: Int) -> (Tenure, AgeGroup) {
        (Tenure(rawValue: tenure[h])!, AgeGroup(rawValue: age[h])!)
    }
    public var buildingCount: Int { Int(building.last.map { $0 + 1 } ?? 0) }
}

extension Households {
    /// Draw a population from the settings and baseline (docs/ODD.md §5). Households fill
    /// buildings in order, floors bottom-up; grids take buildings round-robin.
    public static func make(_ s: PopulationSettings, baseline: BaselineSettings,
                            propensity: ParticipationSettings, rng: RandomStream) -> Households {
        let n = s.households
        var hh = Households(
            count: n, tenure: .init(repeating: 0, count: n), age: .init(repeating: 1, count: n),
            building: .init(repeating: 0, count: n), floor: .init(repeating: 1, count: n),
            grid: .init(repeating: 0, count: n), car: .init(repeating: false, count: n),
            digital: .init(repeating: false, count: n), roles: .init(repeating: 0, count: n),
            motivation: .init(repeating: 0.5, count: n), trust: .init(repeating: 0.5, count: n),
            satisfactionBase: .init(repeating: 0.6, count: n), experience: .init(repeating: 0, count: n),
            propensityLogit: .init(repeating: 0, count: n), lastAct: .init(repeating: Int32.min / 2, count: n),
            acts: .init(repeating: 0, count: n), reportFixed: .init(repeating: false, count: n),
            feePaid: .init(repeating: false, count: n), points: .init(repeating: 0, count: n),
            timeBankHours: .init(repeating: 0, count: n), socialCapital: .init(repeating: 0, count: n),
            tieStart: [], tieTarget: [])
        let perBuilding = max(1, s.householdsPerBuilding)
        let perFloor = max(1, (perBuilding + s.floors - 1) / s.floors)
        // Beta parameters for motivation from mean and sd.
        let m = s.motivationMean, v = s.motivationSD * s.motivationSD
        let k = max(m * (1 - m) / v - 1, 0.5)
        let (ma, mb) = (m * k, (1 - m) * k)
        let tk = 8.0
        let (ta, tb) = (s.trustMean * tk, (1 - s.trustMean) * tk)
        // Baseline satisfaction: S0 = 0.6 + σ (z − Φ⁻¹(1 − r)), so P(S0 ≥ 0.6) = r.
        let r = min(max(baseline.satisfactionRate, 0.001), 0.999)
        let shift = GSL.normalQuantile(1 - r)
        for h in 0..<n {
            let b = h / perBuilding
            hh.building[h] = Int32(b)
            hh.floor[h] = UInt8(min(s.floors, (h % perBuilding) / perFloor + 1))
            hh.grid[h] = UInt32(b % s.grids)
            let u = rng.uniform()
            let ageG: UInt8 = u < s.youngShare ? 0 : (u < s.youngShare + (1 - s.youngShare - s.elderlyShare) ? 1 : 2)
            hh.age[h] = ageG
            hh.tenure[h] = rng.bernoulli(s.tenantShare) ? 1 : 0
            hh.car[h] = rng.bernoulli(s.carShare)
            let dShare = [s.digital.young, s.digital.middle, s.digital.elderly][Int(ageG)]
            hh.digital[h] = rng.bernoulli(dShare)
            if rng.bernoulli(s.partyMemberShare) { hh.roles[h] |= Roles.partyMember.rawValue }
            hh.motivation[h] = Float(rng.beta(ma, mb))
            hh.trust[h] = Float(rng.beta(ta, tb))
            hh.satisfactionBase[h] = Float(min(1, max(0, 0.6 + baseline.satisfactionSD * (rng.gaussian(1) - shift))))
            hh.propensityLogit[h] = Float(propensity.baseLogit(tenure: hh.tenure[h], age: ageG,
                                                                partyMember: hh.roles[h] & Roles.partyMember.rawValue != 0))
            hh.feePaid[h] = rng.bernoulli(baseline.feeCollectionRate)
        }
        hh.lastCivic = hh.lastAct
        hh.lastService = hh.lastAct
        hh.buildTies(s, rng: rng)
        return hh
    }

    /// Neighbour ties: the nearest doors in the same building plus a few random long ties,
    /// made symmetric; stored as CSR.
    mutating func buildTies(_ s: PopulationSettings, rng: RandomStream) {
        var adj = [[Int32]](repeating: [], count: count)
        let half = s.tiesInBuilding / 2
        for h in 0..<count {
            let b = building[h]
            var added = 0
            var d = 1
            while added < half, d <= count {
                let j = h + d
                if j < count, building[j] == b { adj[h].append(Int32(j)); adj[j].append(Int32(h)); added += 1 } else { break }
                d += 1
            }
            for _ in 0..<s.longTies where count > 1 {
                var j = rng.int(below: count)
                if j == h { j = (j + 1) % count }
                adj[h].append(Int32(j)); adj[j].append(Int32(h))
            }
        }
        tieStart = [0]
        tieStart.reserveCapacity(count + 1)
        tieTarget = []
        for h in 0..<count {
            // Sorted, duplicates dropped: the same list as the sorted set of the targets, without
            // hashing (a set per household was 3 % of a replication of 600 households).
            adj[h].sort()
            var last: Int32 = -1
            for j in adj[h] where j != last { tieTarget.append(j); last = j }
            tieStart.append(Int32(tieTarget.count))
        }
    }
}
