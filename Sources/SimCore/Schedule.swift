/// The day loop, written once for every kind of run: one world (a replication), its warm-up,
/// or a group of worlds that meet on some days (a district). Each world steps one day at a
/// time with `step`; between meeting days the worlds are independent, so a group is stepped in
/// parallel on `jobs` threads and the result does not depend on the number of threads.
///
/// A conformer of nothing: the model gives three closures — what happens at the start of a
/// day that `startsOn` marks (a timeline change), one world's day (`step`), and what happens
/// after a day that `endsOn` marks (observation, a ranking across worlds).
public struct Schedule: Sendable {
    /// The days to simulate, in order (negative days are the warm-up).
    public var days: Range<Int>
    /// Days that begin with `start` (before any world steps).
    public var startsOn: @Sendable (Int) -> Bool
    /// Days that end with `end` (after every world has stepped).
    public var endsOn: @Sendable (Int) -> Bool

    public init(days: Range<Int>, startsOn: @escaping @Sendable (Int) -> Bool = { _ in false },
                endsOn: @escaping @Sendable (Int) -> Bool = { _ in false }) {
        self.days = days
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// Run a group of worlds through the days.
    public func run<W>(_ worlds: inout [W], jobs: Int = 1,
                       start: (inout [W], Int) -> Void = { _, _ in },
                       step: (inout W, Int) -> Void,
                       end: (inout [W], Int) -> Void = { _, _ in }) {
        segments { from, to in
            if startsOn(from) { start(&worlds, from) }
            Parallel.mutateEach(&worlds, jobs: jobs) { w, _ in
                for d in from...to { step(&w, d) }
            }
            if endsOn(to) { end(&worlds, to) }
        }
    }

    /// Run one world through the days.
    public func run<W>(_ world: inout W, start: (inout W, Int) -> Void = { _, _ in },
                       step: (inout W, Int) -> Void, end: (inout W, Int) -> Void = { _, _ in }) {
        segments { from, to in
            if startsOn(from) { start(&world, from) }
            for d in from...to { step(&world, d) }
            if endsOn(to) { end(&world, to) }
        }
    }

    /// The days cut into segments: each begins on the first day or after a meeting, and ends on
    /// a day that `endsOn` marks, the day before one that `startsOn` marks, or the last day.
    private func segments(_ body: (_ from: Int, _ to: Int) -> Void) {
        var day = days.lowerBound
        while day < days.upperBound {
            var last = day
            while last + 1 < days.upperBound, !endsOn(last), !startsOn(last + 1) { last += 1 }
            body(day, last)
            day = last + 1
        }
    }
}
