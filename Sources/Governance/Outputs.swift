import SimCore
import SimConfig

/// The model's outputs (docs/ODD.md §4 core names, plus the figures the cases publish).
/// Files, notebooks and regression tests use these names; they are stable.
public enum Output: String, CaseIterable, Sendable {
    // Participation
    case participationRate = "participation_rate"
    case participationOwner = "participation_rate_owner"
    case participationTenant = "participation_rate_tenant"
    case participationYoung = "participation_rate_young"
    case participationMiddle = "participation_rate_middle"
    case participationElderly = "participation_rate_elderly"
    case serviceUse = "service_use_rate"
    case serviceUseOwner = "service_use_rate_owner"
    case serviceUseTenant = "service_use_rate_tenant"
    case serviceUseYoung = "service_use_rate_young"
    case serviceUseMiddle = "service_use_rate_middle"
    case serviceUseElderly = "service_use_rate_elderly"
    case eliteCapture = "elite_capture"
    case volunteersActive = "volunteers_active"
    // Satisfaction
    case satisfactionRate = "satisfaction_rate"
    case satisfactionSurveyed = "satisfaction_rate_surveyed"
    case satisfactionMean = "satisfaction_mean"
    case dissatisfiedGrievance = "dissatisfied_grievance_share"
    case trustMean = "trust_mean"
    case feeCollection = "fee_collection_rate"
    // Co-governance
    case resolutionDaysMean = "resolution_days_mean"
    case resolutionDaysMedian = "resolution_days_median"
    case resolutionDaysP90 = "resolution_days_p90"
    case resolutionRate = "resolution_rate"
    case complaints = "complaints_per_100hh_month"
    case disputes = "disputes_per_100hh_month"
    case problemsOpen = "problems_open"
    // Co-deliberation
    case approvalShare = "approval_share"
    case approvalShareLowFloors = "approval_share_low_floors"
    case resolutions = "resolutions"
    case deliberationDays = "deliberation_days"
    case formalismShare = "formalism_share"
    case attendanceOwner = "attendance_owner"
    case attendanceTenant = "attendance_tenant"
    case attendanceYoung = "attendance_young"
    case attendanceMiddle = "attendance_middle"
    case attendanceElderly = "attendance_elderly"
    case reservedTenantSeats = "reserved_tenant_seats"
    // Co-construction
    case fundingGap = "funding_gap"
    case fundingGapProbability = "funding_gap_probability"
    case fundingFiscal = "funding_fiscal"
    case fundingResidents = "funding_residents"
    case fundingEnterprise = "funding_enterprise"
    case fundingCrowdfunding = "funding_crowdfunding"
    case fundingCharity = "funding_charity"
    case fundingPartner = "funding_partner"
    case fundingTimeBank = "funding_timebank"
    case contributionShare = "contribution_share"
    case projectsCompleted = "projects_completed"
    case amenityMean = "amenity_mean"
    case partnersActive = "partners_active"
    case partnersExited = "partners_exited"
    case spaceRevived = "space_revived_m2"
    case publicBenefitHours = "public_benefit_hours"
    case partnerInvestment = "partner_investment"
    case microfundInflow = "microfund_inflow"
    case microfundBalance = "microfund_balance"
    // Co-sharing
    case spaceUtilization = "space_utilization"
    case exchanges = "exchanges_per_100hh_month"
    // Co-evaluation
    case homeVisits = "home_visits_per_month"
    case homeVisitsScheme = "home_visits_scheme_per_month"
    case staffEffort = "staff_effort"
    case evaluationScore = "evaluation_score"
    case leadershipChanges = "leadership_changes"
    case surveyAttitude = "survey_attitude", surveyEfficiency = "survey_efficiency", surveyEnvironment = "survey_environment"
    case surveyConflict = "survey_conflict", surveyCulture = "survey_culture", surveyUpkeep = "survey_upkeep"
    // Incentives
    case pointsOutstanding = "points_outstanding"
    case incentiveCost = "incentive_cost"
    // Costs per year by payer and by pillar (Mechanisms/Accounts.swift)
    case costGovernment = "cost_government", costCommunityFunds = "cost_community_funds", costResidents = "cost_residents"
    case costEnterprises = "cost_enterprises", costDeliberation = "cost_deliberation", costConstruction = "cost_construction"
    case costGovernance = "cost_governance", costSharing = "cost_sharing", costEvaluation = "cost_evaluation"
    case costIncentives = "cost_incentives", costTotal = "cost_total", feeRevenue = "fee_revenue"

    public var name: String { rawValue }
    public static let names = allCases.map(\.rawValue)
    /// Position in `allCases` (the column of the output in every file).
    public var index: Int { Self.indexTable[self]! }
    private static let indexTable = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// Rates and shares in [0, 1] (checked by the invariant tests).
    public var isShare: Bool {
        switch self {
        case .participationRate, .participationOwner, .participationTenant, .participationYoung, .participationMiddle,
             .participationElderly, .serviceUse, .serviceUseOwner, .serviceUseTenant, .serviceUseYoung, .serviceUseMiddle,
             .serviceUseElderly, .eliteCapture, .satisfactionRate, .satisfactionSurveyed, .satisfactionMean, .dissatisfiedGrievance, .trustMean,
             .feeCollection, .resolutionRate, .approvalShare, .approvalShareLowFloors, .formalismShare, .attendanceOwner,
             .attendanceTenant, .attendanceYoung, .attendanceMiddle, .attendanceElderly, .fundingGapProbability,
             .amenityMean, .spaceUtilization, .evaluationScore, .contributionShare, .surveyAttitude, .surveyEfficiency,
             .surveyEnvironment, .surveyConflict, .surveyCulture, .surveyUpkeep:
            true
        default: false
        }
    }
    /// How a district total combines its communities' values of the output: counts, people and
    /// money add up; shares, rates, days, levels and means are household-weighted means.
    public var aggregation: Aggregation {
        switch self {
        case .volunteersActive, .problemsOpen, .resolutions, .fundingFiscal, .fundingResidents, .fundingEnterprise,
             .fundingCrowdfunding, .fundingCharity, .fundingPartner, .fundingTimeBank, .projectsCompleted, .partnersActive,
             .partnersExited, .spaceRevived, .publicBenefitHours, .partnerInvestment, .microfundInflow, .microfundBalance, .homeVisits, .homeVisitsScheme,
             .leadershipChanges, .pointsOutstanding, .incentiveCost, .costGovernment, .costCommunityFunds, .costResidents,
             .costEnterprises, .costDeliberation, .costConstruction, .costGovernance, .costSharing, .costEvaluation,
             .costIncentives, .costTotal, .feeRevenue:
            .sum
        default: .householdMean
        }
    }
    public enum Aggregation: Sendable { case householdMean, sum }

    /// How a replication's summary (simulation.summary_days) reports the output: a total or
    /// stock since the start (money raised, projects, balances, counts since day 0, shares of
    /// all closed projects or all acts) is its value on the last day; every other output — a
    /// rate, share or level observed at a moment — is its mean over the observations in the
    /// final window.
    public var summary: SummaryKind {
        switch self {
        case .eliteCapture, .resolutions, .fundingGap, .fundingGapProbability, .fundingFiscal, .fundingResidents,
             .fundingEnterprise, .fundingCrowdfunding, .fundingCharity, .fundingPartner, .fundingTimeBank, .contributionShare,
             .projectsCompleted, .partnersExited, .spaceRevived, .publicBenefitHours, .partnerInvestment, .microfundInflow, .microfundBalance,
             .leadershipChanges,
             .pointsOutstanding, .incentiveCost, .costGovernment, .costCommunityFunds, .costResidents, .costEnterprises,
             .costDeliberation, .costConstruction, .costGovernance, .costSharing, .costEvaluation, .costIncentives,
             .costTotal, .feeRevenue:
            .lastDay
        default: .windowMean
        }
    }
    public enum SummaryKind: Sendable { case windowMean, lastDay }

    /// Group of an output broken down by group (owner, tenant, young, middle, elderly), or nil.
    public var group: String? {
        for g in ["owner", "tenant", "young", "middle", "elderly"] where rawValue.hasSuffix("_" + g) { return g }
        return nil
    }
}

/// One observation: a value per output, NaN where there is nothing to measure.
public struct OutputRow: Sendable {
    public var values = [Double](repeating: .nan, count: Output.allCases.count)
    public subscript(o: Output) -> Double {
        get { values[o.index] }
        set { values[o.index] = newValue }
    }
}

extension Community {
    /// Every output at `day`, in `Output.allCases` order. An output with nothing to measure
    /// (no problem resolved in the window) is NaN here and written as an empty field.
    public mutating func observe(day: Int) -> [Double] {
        var out = OutputRow()
        func put(_ o: Output, _ v: Double) { out[o] = v }
        let w = settings.participation.windowDays
        let n = hh.count
        var active = 0, using = 0
        var groupN = [Int](repeating: 0, count: 5), groupA = [Int](repeating: 0, count: 5), groupU = [Int](repeating: 0, count: 5)
        var satisfied = 0, aggrieved = 0
        var sSum = 0.0, tSum = 0.0
        var fees = 0
        // Civic participation and service use: an act of the kind in the rate window (ODD §7, Outputs).
        let cutoff = Int32(day - settings.participation.rateWindowDays)
        for h in 0..<n {
            let t = Int(hh.tenure[h]), g = 2 + Int(hh.age[h])
            groupN[t] += 1; groupN[g] += 1
            if hh.lastCivic[h] > cutoff { active += 1; groupA[t] += 1; groupA[g] += 1 }
            if hh.lastService[h] > cutoff { using += 1; groupU[t] += 1; groupU[g] += 1 }
            let s = satisfaction(h)
            if s >= 0.6 { satisfied += 1 } else if hh.grievance[h] > 0, satisfactionUnclamped(h) + hh.grievance[h] >= 0.6 { aggrieved += 1 }
            sSum += Double(s)
            tSum += Double(hh.trust[h])
            if hh.feePaid[h] { fees += 1 }
        }
        let nd = Double(max(n, 1))
        put(.participationRate, Double(active) / nd)
        let groups: [Output] = [.participationOwner, .participationTenant, .participationYoung, .participationMiddle, .participationElderly]
        for (k, o) in groups.enumerated() where groupN[k] > 0 { put(o, Double(groupA[k]) / Double(groupN[k])) }
        put(.serviceUse, Double(using) / nd)
        let useGroups: [Output] = [.serviceUseOwner, .serviceUseTenant, .serviceUseYoung, .serviceUseMiddle, .serviceUseElderly]
        for (k, o) in useGroups.enumerated() where groupN[k] > 0 { put(o, Double(groupU[k]) / Double(groupN[k])) }
        put(.eliteCapture, eliteCapture())
        put(.satisfactionRate, Double(satisfied) / nd)
        put(.satisfactionMean, sSum / nd)
        // Dissatisfied (S < 0.6) who would be satisfied without their grievances (ODD §7.13).
        put(.dissatisfiedGrievance, Double(aggrieved) / nd)
        put(.trustMean, tSum / nd)
        put(.feeCollection, Double(fees) / nd)
        // Resolution times of problems resolved in the window.
        let since = Int32(day - w)
        var durations: [Double] = []
        for r in resolvedLog.reversed() {
            if r.day <= since { break }
            durations.append(Double(r.days))
        }
        if !durations.isEmpty {
            put(.resolutionDaysMean, GSL.mean(durations))
            let q = quantiles(durations, [0.5, 0.9])
            put(.resolutionDaysMedian, q[0])
            put(.resolutionDaysP90, q[1])
        }
        // Resolution rate over problems whose deadline passed within the window.
        let dl = settings.problems.deadlineDays
        let lo = Int32(day - w - dl), hi = Int32(day - dl)
        var onTime = 0, due = 0
        for r in deadlineLog where r.day > lo && r.day <= hi {
            due += 1
            if r.onTime { onTime += 1 }
        }
        if due > 0 { put(.resolutionRate, Double(onTime) / Double(due)) }
        let months = Double(w) / 30
        put(.complaints, complaints.total / (nd / 100) / months)
        put(.disputes, disputes.total / (nd / 100) / months)
        put(.problemsOpen, Double(problems.count))
        put(.staffEffort, staffEffort)
        observeMechanisms(day: day, into: &out)
        return out.values
    }

    /// Outputs of each mechanism (declared in the mechanism's file).
    func observeMechanisms(day: Int, into out: inout OutputRow) {
        out[.amenityMean] = amenityMean
        out[.pointsOutstanding] = ledger.pointsOutstanding
        out[.microfundInflow] = ledger.microfundIn
        out[.microfundBalance] = ledger.microfundBalance
        for s in Ledger.Source.allCases {
            let o: Output = [.fundingFiscal, .fundingResidents, .fundingEnterprise, .fundingCrowdfunding, .fundingCharity,
                             .fundingPartner, .fundingTimeBank][s.rawValue]
            out[o] = ledger[s]
        }
        Mechanisms.observe(self, day: day, into: &out)
    }

    /// Share of all acts so far by the most active 10 % of households (ties broken arbitrarily).
    func eliteCapture() -> Double {
        let n = hh.count
        let top = max(1, n / 10)
        var total = 0
        var maxActs = 0
        for a in hh.acts { total += Int(a); maxActs = max(maxActs, Int(a)) }
        guard total > 0 else { return 0 }
        var hist = [Int](repeating: 0, count: maxActs + 1)
        for a in hh.acts { hist[Int(a)] += 1 }
        var remaining = top, sum = 0
        var v = maxActs
        while remaining > 0, v >= 0 {
            let take = min(remaining, hist[v])
            sum += take * v
            remaining -= take
            v -= 1
        }
        return Double(sum) / Double(total)
    }

    /// Drop log entries too old to enter any window (bounded memory on long runs).
    mutating func pruneLogs(day: Int) {
        let keep = Int32(day - settings.participation.windowDays - settings.problems.deadlineDays - 31)
        if let i = resolvedLog.firstIndex(where: { $0.day > keep }), i > 1024 { resolvedLog.removeFirst(i) }
        if deadlineLog.count > 4096 { deadlineLog.removeAll { $0.day <= keep } }
    }
}

// MARK: - The dictionary of outputs (outputs.csv, `pillars outputs`, docs/OUTPUTS.md)

extension Output {
    /// The unit of the output's values, as written in every table.
    public var unit: String { (Self.dictionary[self] ?? Self.costDictionary[self]!).unit }
    /// One line saying what the output measures (consistent with docs/ODD.md §7 "Outputs").
    public var definition: String { (Self.dictionary[self] ?? Self.costDictionary[self]!).definition }
    /// The pillar (or topic) the output belongs to, as in the declaration above.
    public var topic: String { (Self.dictionary[self] ?? Self.costDictionary[self]!).topic }
    /// How a district combines its communities' values, as a word: `household_mean` or `sum`.
    public var aggregationName: String { aggregation == .sum ? "sum" : "household_mean" }

    /// Unit, definition and topic of every output, keyed by the case. W is the trailing
    /// window `participation.window_days` (90 days by default).
    private static let dictionary: [Output: (unit: String, definition: String, topic: String)] = [
        .participationRate: ("share", "share of households with at least one civic act (committee activity, report, agenda item, council, volunteer session, voluntary contribution, time-bank hours given) in the trailing year Y (participation.rate_window_days)", "participation"),
        .participationOwner: ("share", "share of owner households with at least one civic act in Y", "participation"),
        .participationTenant: ("share", "share of tenant households with at least one civic act in Y", "participation"),
        .participationYoung: ("share", "share of young households with at least one civic act in Y", "participation"),
        .participationMiddle: ("share", "share of middle-aged households with at least one civic act in Y", "participation"),
        .participationElderly: ("share", "share of elderly households with at least one civic act in Y", "participation"),
        .serviceUse: ("share", "share of households that used a shared service in Y: booked a shared space, received an item, skill or service, or lent one outside the time bank", "participation"),
        .serviceUseOwner: ("share", "share of owner households that used a shared service in Y", "participation"),
        .serviceUseTenant: ("share", "share of tenant households that used a shared service in Y", "participation"),
        .serviceUseYoung: ("share", "share of young households that used a shared service in Y", "participation"),
        .serviceUseMiddle: ("share", "share of middle-aged households that used a shared service in Y", "participation"),
        .serviceUseElderly: ("share", "share of elderly households that used a shared service in Y", "participation"),
        .eliteCapture: ("share", "share of all acts since the start by the most active 10 % of households", "participation"),
        .volunteersActive: ("households", "volunteers with an act in W (at the last month end)", "participation"),
        .satisfactionRate: ("share", "share of households with satisfaction S ≥ 0.6", "satisfaction"),
        .satisfactionSurveyed: ("share", "share satisfied in the last quarterly survey", "satisfaction"),
        .satisfactionMean: ("share", "mean satisfaction S over households (S in [0, 1])", "satisfaction"),
        .dissatisfiedGrievance: ("share", "share of households dissatisfied (S < 0.6) who would be satisfied without their lasting grievances (S + G ≥ 0.6)", "satisfaction"),
        .trustMean: ("share", "mean trust over households (trust in [0, 1])", "satisfaction"),
        .feeCollection: ("share", "share of households who paid the property fee last quarter", "satisfaction"),
        .resolutionDaysMean: ("days", "mean days from appearance to resolution of problems resolved in W", "co-governance"),
        .resolutionDaysMedian: ("days", "median days from appearance to resolution of problems resolved in W", "co-governance"),
        .resolutionDaysP90: ("days", "90th percentile of days from appearance to resolution of problems resolved in W", "co-governance"),
        .resolutionRate: ("share", "share fixed within problems.deadline_days among problems whose deadline fell in W", "co-governance"),
        .complaints: ("per 100 households per month", "complaints in W per 100 households per month", "co-governance"),
        .disputes: ("per 100 households per month", "disputes in W per 100 households per month", "co-governance"),
        .problemsOpen: ("problems", "problems open at the observation", "co-governance"),
        .approvalShare: ("share", "mean approval of the votes held in W", "co-deliberation"),
        .approvalShareLowFloors: ("share", "mean approval among households on floors 1–2 of the votes held in W", "co-deliberation"),
        .resolutions: ("resolutions", "resolutions adopted since the start", "co-deliberation"),
        .deliberationDays: ("days", "mean days from agenda to execution of resolutions reviewed in W", "co-deliberation"),
        .formalismShare: ("share", "share not carried out of resolutions reviewed in W", "co-deliberation"),
        .attendanceOwner: ("share", "share of owner households who attended a council in W", "co-deliberation"),
        .attendanceTenant: ("share", "share of tenant households who attended a council in W", "co-deliberation"),
        .attendanceYoung: ("share", "share of young households who attended a council in W", "co-deliberation"),
        .attendanceMiddle: ("share", "share of middle-aged households who attended a council in W", "co-deliberation"),
        .attendanceElderly: ("share", "share of elderly households who attended a council in W", "co-deliberation"),
        .reservedTenantSeats: ("seats per council", "reserved tenant seats filled by tenants per council held in W (0 when representatives are not elected or no seat is reserved; empty with no council in W)", "co-deliberation"),
        .fundingGap: ("yuan", "mean gap (cost − raised) over projects past their funding deadline", "co-construction"),
        .fundingGapProbability: ("share", "share of projects past their funding deadline whose gap exceeds construction.gap_tolerance × cost", "co-construction"),
        .fundingFiscal: ("yuan", "money raised from the fiscal source since the start", "co-construction"),
        .fundingResidents: ("yuan", "money raised from residents since the start", "co-construction"),
        .fundingEnterprise: ("yuan", "money raised from enterprises since the start", "co-construction"),
        .fundingCrowdfunding: ("yuan", "money raised by crowdfunding since the start", "co-construction"),
        .fundingCharity: ("yuan", "money raised from charity since the start", "co-construction"),
        .fundingPartner: ("yuan", "money partners put into the community's projects since the start (no project plan takes partner money yet: 0; partners' capex is partner_investment)", "co-construction"),
        .fundingTimeBank: ("yuan", "money raised through the time bank since the start (in yuan)", "co-construction"),
        .contributionShare: ("share", "share of the households assessed a residents' share (funding rounds closed so far) who paid it", "co-construction"),
        .projectsCompleted: ("projects", "projects completed since the start", "co-construction"),
        .amenityMean: ("share", "mean amenity level (levels in [0, 1])", "co-construction"),
        .partnersActive: ("partners", "partners in place at the observation", "co-construction"),
        .partnersExited: ("partners", "partners who left after exit_months of losses, since the start", "co-construction"),
        .spaceRevived: ("m²", "space revived by the partners in place", "co-construction"),
        .publicBenefitHours: ("hours", "public-benefit hours given by partners since the start", "co-construction"),
        .partnerInvestment: ("yuan", "fit-out capex partners invested in their own ventures since the start (not project funding)", "co-construction"),
        .microfundInflow: ("yuan", "accumulated inflow of the micro-fund since the start", "co-construction"),
        .microfundBalance: ("yuan", "micro-fund balance: inflow − outflow", "co-construction"),
        .spaceUtilization: ("share", "booked / available slots of the shared spaces in W", "co-sharing"),
        .exchanges: ("per 100 households per month", "exchanges in W per 100 households per month", "co-sharing"),
        .homeVisits: ("visits per month", "mean home visits per monthly round over the rounds ending in W: staff proactive visits plus the home-visits scheme's", "co-evaluation"),
        .homeVisitsScheme: ("visits per month", "mean home visits of the home-visits scheme per monthly round over the rounds ending in W (included in home_visits_per_month)", "co-evaluation"),
        .staffEffort: ("index (1 = administrative targets)", "staff effort E (1 without co-evaluation)", "co-evaluation"),
        .evaluationScore: ("share", "score of the last quarterly co-evaluation (co-evaluation on)", "co-evaluation"),
        .leadershipChanges: ("changes", "leadership changes since the start (co-evaluation on)", "co-evaluation"),
        .surveyAttitude: ("share", "share of the last quarterly survey's respondents satisfied with the service-attitude indicator", "co-evaluation"),
        .surveyEfficiency: ("share", "share of the last quarterly survey's respondents satisfied with the efficiency indicator", "co-evaluation"),
        .surveyEnvironment: ("share", "share of the last quarterly survey's respondents satisfied with the environment indicator", "co-evaluation"),
        .surveyConflict: ("share", "share of the last quarterly survey's respondents satisfied with the conflict-resolution indicator", "co-evaluation"),
        .surveyCulture: ("share", "share of the last quarterly survey's respondents satisfied with the cultural-activities indicator", "co-evaluation"),
        .surveyUpkeep: ("share", "share of the last quarterly survey's respondents satisfied with the facility-upkeep indicator", "co-evaluation"),
        .pointsOutstanding: ("points", "points issued − redeemed since the start", "incentives"),
        .incentiveCost: ("yuan per year", "yuan spent on incentive schemes (points redeemed, perks, honours, awards) per year over the summary window", "incentives"),
    ]

    /// The columns of outputs.csv and `pillars outputs --csv`.
    public static let dictionaryHeader = ["name", "unit", "definition", "group", "topic", "aggregation", "summary"]

    /// One row per output: name, unit, definition, group (owner, tenant, young, middle,
    /// elderly, or `all`), topic, aggregation across a district's communities, summary over a
    /// replication (`window_mean` over the final `simulation.summary_days`, or `last_day`).
    public static var dictionaryRows: [[String]] {
        allCases.map { [$0.name, $0.unit, $0.definition, $0.group ?? "all", $0.topic, $0.aggregationName,
                        $0.summary == .lastDay ? "last_day" : "window_mean"] }
    }

    /// outputs.csv: the dictionary as CSV (header first), written into every results folder.
    public static var dictionaryCSV: String {
        ([dictionaryHeader] + dictionaryRows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// docs/OUTPUTS.md: the dictionary as a Markdown table, grouped by topic.
    public static var dictionaryMarkdown: String {
        var out = "# Outputs\n\nGenerated by `pillars outputs --markdown` from the declarations in `Sources/Governance/Outputs.swift`;\n"
        out += "a test fails when this file and the code disagree. Every results folder holds the same table as `outputs.csv`.\n"
        out += "W is the trailing window `participation.window_days` (90 days by default) and Y the trailing year\n"
        out += "`participation.rate_window_days` (360 days) of the participation and service-use rates; an output with nothing to measure is\n"
        out += "an empty field. `aggregation` says how a district combines its communities: `sum`, or the `household_mean`\n"
        out += "(weighted by households). `summary` says how a replication's summary reports it: the `window_mean` over the\n"
        out += "observations in the last `simulation.summary_days` (360 by default), or its value on the `last_day`.\n"
        out += "The full definitions are in docs/ODD.md, \"Outputs\".\n"
        var topic = ""
        for o in allCases {
            if o.topic != topic {
                topic = o.topic
                out += "\n## \(topic)\n\n| output | unit | definition | group | aggregation | summary |\n|---|---|---|---|---|---|\n"
            }
            let cell = { (t: String) in t.replacingOccurrences(of: "|", with: "\\|") }
            out += "| `\(o.name)` | \(cell(o.unit)) | \(cell(o.definition)) | \(o.group ?? "all") | \(o.aggregationName) | \(o.summary == .lastDay ? "last_day" : "window_mean") |\n"
        }
        return out
    }
}
