import SimCore
import SimConfig

/// A mechanism of the governance model: one step on the days its cadence fires (the engine's
/// `Submodel`), its parameter group and the outputs it observes. Each mechanism owns a random
/// stream named after it, created whether or not it is switched on, so switching one on does not
/// shift the draws of the others (common random numbers).
public protocol Mechanism: Submodel where World == Community {
    /// The mechanism's parameters (its group in `Settings`); `NoParameters` for none of its own.
    associatedtype Parameters: ParameterGroup = NoParameters
    init(streams: StreamSet)
    /// Write the outputs this mechanism measures at `day` (default: none).
    static func observe(_ c: Community, day: Int, into out: inout OutputRow)
}

extension Mechanism {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) {}
}

/// The parameter group of a mechanism that reads only the community's shared settings.
public struct NoParameters: ParameterGroup {
    public init() {}
    public static let parameters = ParameterTable<Self>("", [])
}

/// The model's mechanisms in process order (docs/ODD.md, "Process overview and scheduling"):
/// the one list of them. The day loop, the streams, the order of observation and the list that
/// `pillars params` documents come from it. Adding a mechanism: its file, its test file and
/// one entry here.
typealias Mechanisms = MechanismList<
    ProblemArrival, CoGovernance, Disputes, Deliberation, Construction, Partners, Microfund, Sharing, Incentives, Evaluation,
    TraditionalActivity, SatisfactionUpdate, ExpectationAdaptation, FeePayment, Accounts
>

/// A list of mechanisms, stepped in order with static dispatch (a parameter pack).
struct MechanismList<each M: Mechanism> {
    var mechanisms: (repeat each M)

    init(streams: StreamSet) { mechanisms = (repeat (each M).init(streams: streams)) }

    /// Names of the mechanisms in process order.
    static var names: [String] {
        var names: [String] = []
        for m in repeat (each M).self { names.append(m.name) }
        return names
    }

    /// The mechanisms' own parameter groups, in process order.
    static var parameterGroups: [any ParameterGroup.Type] {
        var groups: [any ParameterGroup.Type] = []
        for m in repeat (each M).self { if m.Parameters.self != NoParameters.self { groups.append(m.Parameters.self) } }
        return groups
    }

    /// One day: every mechanism whose cadence fires on `d` steps, in order.
    mutating func day(_ c: inout Community, _ d: Int) {
        mechanisms = (repeat Self.step(each mechanisms, &c, d))
    }

    @inline(__always)
    static func step<T: Mechanism>(_ m: T, _ c: inout Community, _ d: Int) -> T {
        var m = m
        if m.cadence.fires(on: d) { m.step(&c, day: d) }
        return m
    }

    /// Every mechanism's outputs at `day`.
    static func observe(_ c: Community, day: Int, into out: inout OutputRow) {
        for m in repeat (each M).self { m.observe(c, day: day, into: &out) }
    }
}
