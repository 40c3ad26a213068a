import SimCore
import SimConfig

/// Household expectations and lasting grievances (docs/ODD.md §7.13), the parts of
/// satisfaction that keep a share of households dissatisfied whatever the services do.
///
/// Expectation–disconfirmation with subtractive disconfirmation (Oliver 1980; Van Ryzin 2004,
/// 2006): S = a + b·P + c·(P − E) + d·E, b > c > 0, d small (here 0). P is the amenity
/// performance (levels summed over the categories), E_h = R + K·ε_h the household's
/// expectation: the community's reference levels R_k, which adapt monthly to the levels
/// residents see, plus the household's own offset ε_h per category, drawn at set-up (higher for
/// owners, the young and upper floors). So a change of amenities first moves S by (b + c)
/// per unit and, once expectations have caught up, by b; and at equal performance a household
/// that expects more is less satisfied, by c·K·ε_h.
///
/// Grievances G_h are recomputed weekly from the state, for reasons the model names: tenure
/// (tenants), floor (top floors and the elderly upstairs in walk-ups while infrastructure is
/// poor; floors 1–2 as infrastructure is upgraded for the floors above), an own problem left
/// open past the residents' expected resolution time (while it stays open), and construction
/// works under way (disturbance). A household heard recently — an act in the participation
/// window — lets go of the share `grievance.voice_relief` of them (procedural justice); one
/// helped recently by a time-bank volunteer lets go of `grievance.help_relief` of its stairs,
/// and a tenant not heard itself lets go of `grievance.representation_relief` of its tenure
/// grievance while tenants hold reserved council seats (descriptive representation).
extension Community {
    /// Draw every household's expectation offset ε_h (stream `expectations`) and size the columns.
    mutating func drawExpectations(rng: RandomStream) {
        let s = settings.satisfaction
        let n = hh.count, floors = settings.population.floors
        hh.expectation = [Float](repeating: 0, count: n)
        hh.grievance = [Float](repeating: 0, count: n)
        for h in 0..<n {
            var e = s.expectationSD > 0 ? rng.gaussian(s.expectationSD) : 0
            if hh.tenure[h] == Tenure.owner.rawValue { e += s.expectationOwner }
            if hh.age[h] == AgeGroup.young.rawValue { e += s.expectationYoung }
            if floors > 1 { e += s.expectationUpperFloor * Double(Int(hh.floor[h]) - 1) / Double(floors - 1) }
            hh.expectation[h] = Float(e)
        }
        // Like the community term, the expectation term and the grievances enter S from the
        // first weekly update on (a fresh community is at its drawn baseline S₀).
    }

    /// Monthly: the reference amenity levels move `satisfaction.expectation_adaptation` of the
    /// way to the levels now (expectations adapt to performance).
    mutating func adaptAmenityReference() {
        let rho = settings.satisfaction.expectationAdaptation
        for k in amenityReference.indices { amenityReference[k] += rho * (amenity[k] - amenityReference[k]) }
    }

    /// Category k's part of the amenity term C: performance b·(a_k − a_k⁰) plus disconfirmation
    /// c·(a_k − R_k), with b + c = `amenity.satisfaction_weight` and c / (b + c) = `disconfirmation_share`;
    /// a level below the reference weighs `loss_aversion` times as much as one above it.
    func amenityTerm(_ k: Int) -> Double {
        let w = settings.amenity.satisfactionWeight, phi = settings.satisfaction.disconfirmationShare
        let gap = amenity[k] - amenityReference[k]
        return w * ((1 - phi) * (amenity[k] - amenity0[k]) + phi * (gap < 0 ? settings.satisfaction.lossAversion * gap : gap))
    }

    /// Satisfaction before clamping to [0, 1] (the warm-up's baseline shift is solved on it).
    @inlinable func satisfactionUnclamped(_ h: Int) -> Float {
        hh.satisfactionBase[h] + hh.experience[h] + communityTerm - expectationWeight * hh.expectation[h] - hh.grievance[h]
    }

    /// The grievance terms a household holds now, before voice relief, by reason.
    struct GrievanceLevels {
        var tenant: Float, stairs: Float, lowFloor: Float, openProblem: Float, disturbance: Float
    }

    /// Weights of each reason at the current amenity levels and works.
    var grievanceLevels: GrievanceLevels {
        let s = settings.satisfaction
        let k = AmenityCategory.infrastructure.rawValue
        let deficit = max(0, 1 - amenity[k]) / (1 - ProblemSettings.anchorLevel)
        let upgrade = amenity0[k] < 1 ? max(0, amenity[k] - amenity0[k]) / (1 - amenity0[k]) : 0
        let d = settings.deliberation
        let compensated = d.enabled && d.compensation && d.layered
        let works = construction.projects.contains { $0.phase == .building }
        // Floors 1–2 have no use for what an upgrade brings the floors above (the elevator):
        // they do not share the infrastructure part of the amenity term.
        let infraTerm = max(0, amenityTerm(k))
        return GrievanceLevels(
            tenant: Float(s.grievanceTenant),
            stairs: Float(s.grievanceStairs * min(1, deficit)),
            lowFloor: Float(infraTerm + s.grievanceLowFloor * upgrade * (compensated ? 0.5 : 1)),
            openProblem: Float(s.grievanceOpenProblem),
            disturbance: works ? Float(s.grievanceDisturbance * (settings.construction.phased ? 0.5 : 1)) : 0)
    }

    /// Recompute every household's grievance G_h (weekly, in the satisfaction update).
    mutating func updateGrievances(day: Int) {
        let n = hh.count
        guard n > 0 else { return }
        let g = grievanceLevels
        let floors = Int(settings.population.floors)
        let walkUp = floors >= 4
        var overdue = [Bool](repeating: false, count: n)
        for i in 0..<problems.count where Double(day - Int(problems.arose[i])) >= expectedDays {
            overdue[Int(problems.household[i])] = true
        }
        let relief = Float(1 - settings.satisfaction.voiceRelief)
        let helped = Float(1 - settings.satisfaction.helpRelief)
        let heardSince = Int32(day - settings.participation.windowDays)
        let helpedDay = incentives.helpedDay
        // Tenants are represented while a reserved tenant seat was filled at a council in the window.
        let represented = deliberation.seatLog.contains { $0.day > heardSince && $0.reserved > 0 }
        let tenantUnheard = represented ? g.tenant * Float(1 - settings.satisfaction.representationRelief) : g.tenant
        for h in 0..<n {
            // Grievances about how the community decides (tenure, an upgrade for others, works)
            // ease when the household has been heard; physical ones (stairs, an open problem) do
            // not, but the stairs weigh less while volunteers help (time-bank services).
            // Heard itself, its own voice eases every voiced grievance (below); not heard, a tenant
            // still counts as represented by the tenants in reserved seats (its tenure grievance).
            let heard = hh.lastAct[h] > heardSince
            var voiced = g.disturbance, physical: Float = 0
            if hh.tenure[h] == Tenure.tenant.rawValue { voiced += heard ? g.tenant : tenantUnheard }
            if walkUp {
                let f = Int(hh.floor[h])
                if f == floors || (f >= 4 && hh.age[h] == AgeGroup.elderly.rawValue) {
                    physical += h < helpedDay.count && helpedDay[h] > heardSince ? g.stairs * helped : g.stairs
                }
                if f <= 2 { voiced += g.lowFloor }
            }
            if overdue[h] { physical += g.openProblem }
            hh.grievance[h] = physical + (heard ? voiced * relief : voiced)
        }
    }
}
