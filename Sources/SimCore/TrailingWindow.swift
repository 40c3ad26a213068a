/// Counts events per day and answers "how many in the last `window` days" in O(1).
/// A ring of per-day counts with a running sum; days must be recorded in order.
public struct TrailingCounter: Sendable {
    public let window: Int
    private var ring: [Double]
    private var sum: Double = 0
    private var today: Int

    /// A counter whose first day is `start` (negative days are fine: a warm-up before day 0).
    public init(window: Int, start: Int = 0) {
        precondition(window >= 1)
        self.window = window
        today = start
        ring = Array(repeating: 0, count: window)
    }
    @inline(__always) private func slot(_ day: Int) -> Int { ((day % window) + window) % window }
    /// Move to `day` (≥ the current day), dropping counts that fall out of the window.
    public mutating func advance(to day: Int) {
        guard day > today else { return }
        let steps = min(day - today, window)
        for k in 1...steps {
            let i = slot(today + k)
            sum -= ring[i]
            ring[i] = 0
        }
        today = day
    }
    /// Add `amount` to the current day.
    public mutating func add(_ amount: Double = 1) {
        ring[slot(today)] += amount
        sum += amount
    }
    /// The sum over the last `window` days including today.
    public var total: Double { sum }
}

/// Per-agent "last day active": an agent is active in the trailing window when its
/// last act is within `window` days. Struct-of-arrays friendly (one Int32 per agent).
public struct LastActive: Sendable {
    public var day: [Int32]
    public init(count: Int) { day = Array(repeating: Int32.min / 2, count: count) }
    @inlinable public mutating func mark(_ i: Int, day d: Int) { day[i] = Int32(d) }
    @inlinable public func isActive(_ i: Int, on d: Int, window: Int) -> Bool { Int(day[i]) > d - window }
}
