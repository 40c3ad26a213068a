/// How often a submodel runs. The base tick is one day; the calendar is a model
/// calendar of 7-day weeks, 30-day months and 90-day quarters (a 360-day year), so
/// that cadences nest exactly and day arithmetic stays integer.
public enum Cadence: String, Sendable, CaseIterable, Codable {
    case daily, weekly, monthly, quarterly, yearly

    /// Length of one period in days.
    public var days: Int {
        switch self {
        case .daily: 1
        case .weekly: 7
        case .monthly: 30
        case .quarterly: 90
        case .yearly: 360
        }
    }
    /// True on the last day of each period (day is 0-based: day 6 closes week 1).
    @inlinable public func fires(on day: Int) -> Bool { (day + 1) % days == 0 }
}

public enum Calendar360 {
    public static let daysPerMonth = 30
    public static let daysPerYear = 360
}
