import SimConfig

/// A replication's summary outputs (`simulation.summary_days`): each output's mean over the
/// observations in the final window, or its value on the last day (`Output.summary`).
/// NaN observations (nothing to measure) are left out; an output never measured in the window is NaN.
struct SummaryWindow: Sendable {
    let firstDay: Int
    var sums = [Double](repeating: 0, count: Output.allCases.count)
    var counts = [Int](repeating: 0, count: Output.allCases.count)

    /// The window of a run of `days` days: observations on days `days − summaryDays` … `days − 1`.
    init(_ s: SimulationSettings) { firstDay = s.days - s.summaryDays }

    /// Whether an observation on `day` enters the summary.
    func covers(_ day: Int) -> Bool { day >= firstDay }

    mutating func add(_ row: [Double], day: Int) {
        guard covers(day) else { return }
        for k in row.indices where !row[k].isNaN {
            sums[k] += row[k]
            counts[k] += 1
        }
    }

    /// The summary, given the observation of the last day.
    func summary(lastDay: [Double]) -> [Double] {
        Output.allCases.enumerated().map { k, o in
            o.summary == .lastDay ? lastDay[k] : (counts[k] > 0 ? sums[k] / Double(counts[k]) : .nan)
        }
    }
}
