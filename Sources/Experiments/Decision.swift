import SimCore

/// A point estimate with a 95 % interval.
public struct Estimate: Sendable, Equatable {
    public var mean: Double
    public var lo: Double
    public var hi: Double
    public init(mean: Double, lo: Double, hi: Double) {
        self.mean = mean
        self.lo = lo
        self.hi = hi
    }
    /// Mean and Student-t interval of a sample (as `Summary`).
    public init(_ s: Summary) { self.init(mean: s.mean, lo: s.lo, hi: s.hi) }
    /// Half the interval's width.
    public var halfWidth: Double { (hi - lo) / 2 }
    /// True when the interval contains 0 (the difference may be nil).
    public var includesZero: Bool { lo <= 0 && hi >= 0 }
}

/// Whether a scenario's annual cost fits a budget: with its upper 95 % bound, with its mean only, or not.
public enum BudgetFit: String, Sendable {
    case yes
    case meanOnly = "mean only"
    case no
}

/// One scenario's line of the decision table.
public struct DecisionRow: Sendable {
    public var scenario: String
    /// Share of replications in which this scenario has the best objective (ties split evenly).
    public var pBest: Double
    /// Objective alternative − baseline over paired replications (nil for the baseline).
    public var objectiveDiff: Estimate?
    /// Annual cost alternative − baseline over paired replications (nil for the baseline).
    public var annualCostDiff: Estimate?
    /// The scenario's own annual cost (mean and Student-t interval over replications).
    public var annualCost: Estimate
    /// Δcost / (Δobjective × units): yuan per additional participating household per year when the
    /// objective is a share and units the households. Nil for the baseline and when undefined.
    public var costPerUnit: Estimate?
    /// False when Δobjective's interval includes 0 (the ratio is then undefined).
    public var costPerUnitDefined: Bool
    /// Pairs of replications the differences rest on.
    public var pairs: Int
    /// Nil without a budget.
    public var fitsBudget: BudgetFit?
}

/// The numbers a planner decides on, from paired replications (common random numbers) of a
/// baseline and its alternatives:
/// - objective and annual-cost differences: mean of the paired differences with a Student-t
///   95 % interval (the same interval as `comparison.csv`);
/// - cost per additional unit of objective: ratio of the mean differences, Δcost / (Δobjective ×
///   units), with a 95 % percentile-bootstrap interval (B = 2000 resamples of the pairs, drawn
///   from a GSL stream seeded from the master seed), undefined when Δobjective's interval
///   includes 0 (the ratio is then unbounded);
/// - P(best): the share of replications in which each scenario, baseline included, has the
///   best objective, ties split evenly (sums to 1 over the scenarios);
/// - the budget check: the scenario's annual cost, mean and upper 95 % bound, against a budget.
public enum Decision {
    public static let bootstrapSamples = 2000

    /// `objective[s][r]` and `annualCost[s][r]`: scenario s (0 = the baseline), replication r
    /// (the same seed across scenarios). NaN values leave that replication out of the pairs
    /// (and of P(best)) that involve it.
    public static func analyse(labels: [String], objective: [[Double]], annualCost: [[Double]], units: Double,
                               higherIsBetter: Bool = true, budget: Double? = nil, seed: UInt64,
                               samples: Int = bootstrapSamples) -> [DecisionRow] {
        precondition(labels.count == objective.count && objective.count == annualCost.count && !labels.isEmpty)
        let best = pBest(objective, higherIsBetter: higherIsBetter)
        var rows = [DecisionRow]()
        for s in labels.indices {
            let own = Estimate(Summary(annualCost[s].filter { !$0.isNaN }))
            var row = DecisionRow(scenario: labels[s], pBest: best[s], objectiveDiff: nil, annualCostDiff: nil,
                                  annualCost: own, costPerUnit: nil, costPerUnitDefined: false, pairs: 0,
                                  fitsBudget: budget.map { fit(own, budget: $0) })
            if s > 0 {
                var dObj = [Double](), dCost = [Double]()
                for r in objective[s].indices where r < objective[0].count {
                    let d = objective[s][r] - objective[0][r], c = annualCost[s][r] - annualCost[0][r]
                    if !d.isNaN, !c.isNaN { dObj.append(d); dCost.append(c) }
                }
                row.pairs = dObj.count
                if !dObj.isEmpty {
                    let o = Estimate(Summary(dObj)), c = Estimate(Summary(dCost))
                    row.objectiveDiff = o
                    row.annualCostDiff = c
                    if !o.includesZero {
                        row.costPerUnitDefined = true
                        let stream = RandomStream(seed: Seeds.purpose("decision-bootstrap-\(s)", replicationSeed: Seeds.mix(seed)))
                        row.costPerUnit = ratio(dCost: dCost, dObjective: dObj, units: units, samples: samples, stream: stream)
                    }
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The share of replications in which each scenario has the best objective (ties split
    /// evenly); replications where any scenario's objective is NaN are left out. All zeros
    /// when no replication is complete.
    public static func pBest(_ objective: [[Double]], higherIsBetter: Bool = true) -> [Double] {
        let n = objective.map(\.count).min() ?? 0
        var wins = [Double](repeating: 0, count: objective.count)
        var complete = 0
        for r in 0..<n {
            let xs = objective.map { $0[r] }
            guard !xs.contains(where: \.isNaN) else { continue }
            complete += 1
            let top = higherIsBetter ? xs.max()! : xs.min()!
            let winners = xs.indices.filter { xs[$0] == top }
            for w in winners { wins[w] += 1 / Double(winners.count) }
        }
        return complete == 0 ? wins : wins.map { $0 / Double(complete) }
    }

    /// mean(dCost) / (mean(dObjective) × units) with a percentile-bootstrap 95 % interval over
    /// resampled pairs (`samples` resamples drawn from `stream`).
    public static func ratio(dCost: [Double], dObjective: [Double], units: Double, samples: Int, stream: RandomStream) -> Estimate {
        let n = dCost.count
        precondition(n == dObjective.count && n > 0)
        let point = GSL.mean(dCost) / (GSL.mean(dObjective) * units)
        var boot = [Double]()
        boot.reserveCapacity(samples)
        for _ in 0..<samples {
            var c = 0.0, o = 0.0
            for _ in 0..<n {
                let i = stream.int(below: n)
                c += dCost[i]
                o += dObjective[i]
            }
            let v = c / (o * units)
            if !v.isNaN { boot.append(v) }
        }
        GSL.sort(&boot)
        return Estimate(mean: point, lo: GSL.quantileSorted(boot, 0.025), hi: GSL.quantileSorted(boot, 0.975))
    }

    /// A scenario's annual cost against a yearly budget.
    public static func fit(_ cost: Estimate, budget: Double) -> BudgetFit {
        if cost.hi <= budget { return .yes }
        return cost.mean <= budget ? .meanOnly : .no
    }

    /// The replications of the next batch when running to a precision: grow by half (at least
    /// one more), never beyond `maxReps`.
    public static func nextReplications(after current: Int, maxReps: Int) -> Int {
        min(maxReps, current + max(1, (current + 1) / 2))
    }
}
