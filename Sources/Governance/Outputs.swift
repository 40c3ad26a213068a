import SimCore

/// The model's outputs (MODEL.md §4 core names). Files and notebooks use these names.
public enum Output: String, CaseIterable, Sendable {
    case participationRate = "participation_rate"
    case participationOwner = "participation_rate_owner"
    case participationTenant = "participation_rate_tenant"
    case participationYoung = "participation_rate_young"
    case participationMiddle = "participation_rate_middle"
    case participationElderly = "participation_rate_elderly"
    case eliteCapture = "elite_capture"
    case satisfactionRate = "satisfaction_rate"
    case satisfactionMean = "satisfaction_mean"
    case resolutionDaysMean = "resolution_days_mean"
    case resolutionDaysMedian = "resolution_days_median"
    case resolutionDaysP90 = "resolution_days_p90"
    case resolutionRate = "resolution_rate"
    case complaints = "complaints_per_100hh_month"
    case disputes = "disputes_per_100hh_month"
    case feeCollection = "fee_collection_rate"
    case trustMean = "trust_mean"
    case problemsOpen = "problems_open"

    public var name: String { rawValue }
    public static let names = allCases.map(\.rawValue)
    /// Rates in [0, 1] (checked by the invariant tests).
    public var isShare: Bool {
        switch self {
        case .participationRate, .participationOwner, .participationTenant, .participationYoung, .participationMiddle,
             .participationElderly, .eliteCapture, .satisfactionRate, .satisfactionMean, .resolutionRate, .feeCollection, .trustMean:
            true
        default: false
        }
    }
    /// A short description for tables and docs.
    public var summary: String {
        switch self {
        case .participationRate: "share of households with ≥ 1 act in the trailing window"
        case .participationOwner, .participationTenant, .participationYoung, .participationMiddle, .participationElderly:
            "participation rate within the group"
        case .eliteCapture: "share of all acts by the most active 10 % of households"
        case .satisfactionRate: "share of households with overall satisfaction ≥ 0.6"
        case .satisfactionMean: "mean overall satisfaction (0–1)"
        case .resolutionDaysMean: "mean days from appearance to resolution, problems resolved in the window"
        case .resolutionDaysMedian: "median of the same"
        case .resolutionDaysP90: "90th percentile of the same"
        case .resolutionRate: "share of problems fixed within the deadline (problems whose deadline fell in the window)"
        case .complaints: "complaints per 100 households per month (trailing window)"
        case .disputes: "neighbour disputes per 100 households per month (trailing window)"
        case .feeCollection: "share of households that paid the property fee last quarter"
        case .trustMean: "mean trust in community institutions (0–1)"
        case .problemsOpen: "problems open at the end"
        }
    }
}

extension Community {
    /// Every output at `day`, in `Output.allCases` order. An output with nothing to measure
    /// (no problem resolved in the window) is NaN here and written as an empty field.
    public mutating func observe(day: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: Output.allCases.count)
        func put(_ o: Output, _ v: Double) { out[Output.allCases.firstIndex(of: o)!] = v }
        let w = settings.participation.windowDays
        let n = hh.count
        var active = 0
        var groupN = [Int](repeating: 0, count: 5), groupA = [Int](repeating: 0, count: 5)
        var satisfied = 0
        var sSum = 0.0, tSum = 0.0
        var fees = 0
        let cutoff = Int32(day - w)
        for h in 0..<n {
            let a = hh.lastAct[h] > cutoff
            let t = Int(hh.tenure[h]), g = 2 + Int(hh.age[h])
            groupN[t] += 1; groupN[g] += 1
            if a { active += 1; groupA[t] += 1; groupA[g] += 1 }
            let s = satisfaction(h)
            if s >= 0.6 { satisfied += 1 }
            sSum += Double(s)
            tSum += Double(hh.trust[h])
            if hh.feePaid[h] { fees += 1 }
        }
        let nd = Double(max(n, 1))
        put(.participationRate, Double(active) / nd)
        let groups: [Output] = [.participationOwner, .participationTenant, .participationYoung, .participationMiddle, .participationElderly]
        for (k, o) in groups.enumerated() where groupN[k] > 0 { put(o, Double(groupA[k]) / Double(groupN[k])) }
        put(.eliteCapture, eliteCapture())
        put(.satisfactionRate, Double(satisfied) / nd)
        put(.satisfactionMean, sSum / nd)
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
        return out
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
