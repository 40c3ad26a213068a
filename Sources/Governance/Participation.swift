import Foundation
import SimCore
import SimConfig

/// Baseline figures of the community under the traditional mode — published inputs of a
/// case (e.g. Chaoyang: satisfaction 58 %, participation 12 %, fees 65 %).
public struct BaselineSettings: ParameterGroup {
    public init() {}
    public var satisfactionRate: Double = 0.60
    public var satisfactionSD: Double = 0.15
    public var participationRate: Double = 0.15
    public var feeCollectionRate: Double = 0.80

    public static let parameters = ParameterTable<Self>("baseline", [
        .number(\.satisfactionRate, "satisfaction_rate", 0.01...0.99, unit: "share",
                "Share of households satisfied (S ≥ 0.6) at the start; sets the baseline satisfaction S0.",
                source: "published baseline of each case (e.g. Chaoyang 58 %, Shanghai 62 %)"),
        .number(\.satisfactionSD, "satisfaction_sd", 0.01...0.5, unit: "0–1",
                "Spread of baseline satisfaction S0 across households.", source: "rough prior; five-point scale step = 0.25"),
        .number(\.participationRate, "participation_rate", 0.005...0.95, unit: "share",
                "Share of households taking part in community affairs within the window under the traditional mode; anchors the intercept of the participation choice.",
                source: "published baseline of each case (Chaoyang 12 %, Hangzhou 18 %)"),
        .number(\.feeCollectionRate, "fee_collection_rate", 0.01...0.999, unit: "share",
                "Share of households paying the property fee at the start; anchors the fee decision.",
                source: "published baseline (Chaoyang 65 %)"),
    ])
}

/// The participation choice (docs/ODD.md §4, suggested form, following the Civic Voluntarism
/// Model): for each opportunity to act, P(act) = σ(a_kind + a_0 + logit π_group + β_m (m − ½)
/// + β_T (T − ½) + γ · (share of ties active recently) + incentive term).
public struct ParticipationSettings: ParameterGroup {
    public init() {}
    public var owner: (young: Double, middle: Double, elderly: Double) = (0.15, 0.45, 0.70)
    public var tenantFactor: Double = 0.4
    public var partyBoost: Double = 0.7
    public var motivationWeight: Double = 2.0
    public var trustWeight: Double = 1.5
    public var socialWeight: Double = 1.5
    public var windowDays: Int = 90
    public var rateWindowDays: Int = 360
    public var traditionalActivity: Bool = true

    public static let parameters = ParameterTable<Self>("participation", [
        .number(\.owner.young, "propensity_owner_young", 0.001...0.999, unit: "probability",
                "Relative propensity of young owners to take part (sets the group's intercept).",
                source: "Shanghai survey N=6,581: 13.8 % of 18–29 voted (rough 0.1–0.2)").fixedAtStart(),
        .number(\.owner.middle, "propensity_owner_middle", 0.001...0.999, unit: "probability",
                "Relative propensity of middle-aged owners.", source: "Shanghai survey: 55.7 % of 50–59 (rough 0.4–0.55)").fixedAtStart(),
        .number(\.owner.elderly, "propensity_owner_elderly", 0.001...0.999, unit: "probability",
                "Relative propensity of elderly owners.", source: "Shanghai survey: 77.7 % of 70–79 (rough 0.6–0.8)").fixedAtStart(),
        .number(\.tenantFactor, "tenant_factor", 0.01...1, unit: "multiple",
                "Tenants' propensity as a multiple of owners' of the same age.",
                source: "唐有财 & 侯秋宇 2017: migrants' participation very low; rough 0.3–0.5").fixedAtStart(),
        .number(\.partyBoost, "party_boost", 0...3, unit: "logit",
                "Added to the logit for households with a party member.", source: "Shanghai survey: 65.1 % vs 48.4 % ≈ +0.69 logit").fixedAtStart(),
        .number(\.motivationWeight, "motivation_weight", 0...10, unit: "logit per unit",
                "Weight of intrinsic motivation m in the choice.", source: "CVM engagement term; rough prior, swept in sensitivity"),
        .number(\.trustWeight, "trust_weight", 0...10, unit: "logit per unit",
                "Weight of trust T (efficacy) in the choice.", source: "CVM efficacy term; rough prior"),
        .number(\.socialWeight, "social_weight", 0...10, unit: "logit per unit",
                "γ: weight of the share of a household's ties active in the window (social influence).",
                source: "Granovetter 1978 thresholds; Centola 2010 complex contagion; rough prior"),
        .count(\.windowDays, "window_days", 7...720, unit: "days",
             "W: trailing window of the recent-activity measures — the share of a household's ties seen active (social influence), volunteers' activity and the windowed co-governance outputs (complaints, resolution times).",
             source: "docs/ODD.md §4 (90 days)").fixedAtStart(),
        .count(\.rateWindowDays, "rate_window_days", 30...720, unit: "days",
             "Trailing window of participation_rate and service_use_rate (and their groups): a household counts when it has at least one act of the kind in the window. 360 days are the model's year (twelve 30-day months, so the window holds every monthly round of the year and never a thirteenth).",
             source: "the published measures speak of the past year: the Shanghai survey's turnout at the last residents' committee election and the cases' baselines of households \"taking part in community affairs\" (docs/ODD.md §7, Outputs)").fixedAtStart(),
        .flag(\.traditionalActivity, "traditional_activity",
              "Monthly top-down community activity (the traditional mode's only channel), anchored to the baseline participation rate.",
              source: "政府干、居民看: the traditional mode"),
    ])
    /// logit of the group's base propensity (tenants scaled by the tenant factor).
    public func baseLogit(tenure: UInt8, age: UInt8, partyMember: Bool) -> Double {
        var pi = [owner.young, owner.middle, owner.elderly][Int(age)]
        if tenure == 1 { pi *= tenantFactor }
        return logit(pi) + (partyMember ? partyBoost : 0)
    }
}

@inlinable public func logit(_ p: Double) -> Double {
    let q = min(max(p, 1e-9), 1 - 1e-9)
    return log(q / (1 - q))
}
@inlinable public func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
@inlinable public func sigmoidF(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

/// Kinds of act, for counters, incentives and the two participation measures (docs/ODD.md §7,
/// Outputs). Civic acts — taking part in community affairs — count in `participation_rate`:
/// the committee's activity, photo reports, agenda items (also voiced on a home visit), councils
/// (signing up, attending, voting), volunteer sessions, voluntary contributions and giving
/// time-bank hours (a skill or service provided through the time bank). Service use counts in
/// `service_use_rate`: booking a shared space, receiving an item, skill or service (`receive`),
/// and providing one outside the time bank (`sharing`: lending to a neighbour).
public enum ActKind: Int, Sendable, CaseIterable {
    case activity, report, agenda, deliberation, volunteer, sharing, contribution, use, receive, timebank
    public var name: String {
        ["activity", "report", "agenda", "deliberation", "volunteer", "sharing", "contribution", "use", "receive", "timebank"][rawValue]
    }
    /// Whether the act is civic participation (else service use).
    @inlinable public var isCivic: Bool {
        switch self {
        case .sharing, .use, .receive: false
        default: true
        }
    }
}

extension Community {
    /// Share of `h`'s ties with an act in the trailing window.
    ///
    /// This, `participationLogit` and `incentiveLogit` are always inlined: the loops that call
    /// them mutate the community between households (an act changes the next household's
    /// active ties), and a call that takes the community as `self` made the compiler copy the
    /// whole community (3.5 kB) on the stack for every household (docs/PERFORMANCE.md, session H).
    @inlinable @inline(__always) public func activeTieShare(_ h: Int, day: Int) -> Float {
        let s = Int(hh.tieStart[h]), e = Int(hh.tieStart[h + 1])
        guard e > s else { return 0 }
        let cutoff = Int32(day - settings.participation.windowDays)
        // Counted through buffer pointers and without branches (ties are built in range,
        // Population.swift): the count, and so the share, is the same.
        let a = hh.tieTarget.withUnsafeBufferPointer { ties in
            hh.lastAct.withUnsafeBufferPointer { last in
                var a = 0
                // last > cutoff ⇔ cutoff − last < 0: its sign bit, without a branch (the
                // comparison's outcome is a coin toss the branch predictor missed).
                for k in s..<e { a &+= Int(truncatingIfNeeded: UInt64(bitPattern: Int64(cutoff) &- Int64(last[Int(ties[k])])) >> 63) }
                return a
            }
        }
        return Float(a) / Float(e - s)
    }

    /// The linear predictor of the participation choice for household `h`, without the act's
    /// own term and without any reward: the choices no scheme rewards (booking a room, asking
    /// for help, accepting a volunteer role) use it as it is.
    @inlinable @inline(__always) public func participationLogit(_ h: Int, day: Int) -> Float {
        let p = settings.participation
        return hh.propensityLogit[h] + anchorLogit
            + Float(p.motivationWeight) * (hh.motivation[h] - 0.5)
            + Float(p.trustWeight) * (hh.trust[h] - 0.5)
            + Float(p.socialWeight) * activeTieShare(h, day: day)
    }

    /// The choice of an act of `kind`: `participationLogit` plus the rewards the schemes attach
    /// to that kind of act for h (`rewardLogit`, Incentives.swift) — points only where they pay,
    /// perks only on civic acts of the young.
    @inlinable @inline(__always) public func participationLogit(_ h: Int, day: Int, for kind: ActKind) -> Float {
        participationLogit(h, day: day) + rewardLogit(h, kind)
    }

    /// `participationLogit` for the loops over an `inout` community that are not inlined
    /// whole: there a read through the community as `self` still made the compiler copy the
    /// community (3.5 kB) for every household; taken `inout`, it is read in place. It changes
    /// nothing (the same arithmetic, the community is not written).
    @inline(never) static func participationLogit(reading c: inout Community, _ h: Int, day: Int) -> Float {
        c.participationLogit(h, day: day)
    }
    /// The same for the choice of an act of `kind` (with its rewards).
    @inline(never) static func participationLogit(reading c: inout Community, _ h: Int, day: Int, for kind: ActKind) -> Float {
        c.participationLogit(h, day: day, for: kind)
    }

    /// Record an act of `kind` by `h` on `day` (participation or service use, elite capture, counters).
    @inlinable public mutating func recordAct(_ h: Int, _ kind: ActKind, day: Int) {
        hh.lastAct[h] = Int32(day)
        if kind.isCivic { hh.lastCivic[h] = Int32(day) } else { hh.lastService[h] = Int32(day) }
        hh.acts[h] &+= 1
        actCounts[kind.rawValue] += 1
    }
}
