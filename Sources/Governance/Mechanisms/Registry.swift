import SimCore

/// The mechanisms of the model in process order (MODEL.md §3). Each runs on the days its
/// cadence fires; each owns a random stream named after it, created whether or not the
/// mechanism is switched on, so switching one on does not shift the draws of the others.
struct MechanismRegistry {
    var problems: ProblemArrival
    var governance: CoGovernance
    var disputes: Disputes
    var deliberation: Deliberation
    var construction: Construction
    var partners: Partners
    var sharing: Sharing
    var incentives: Incentives
    var evaluation: Evaluation
    var activity: TraditionalActivity
    var satisfaction: SatisfactionUpdate
    var expectations: ExpectationAdaptation
    var fees: FeePayment

    init(streams: StreamSet) {
        problems = ProblemArrival(streams: streams)
        governance = CoGovernance(streams: streams)
        disputes = Disputes(streams: streams)
        deliberation = Deliberation(streams: streams)
        construction = Construction(streams: streams)
        partners = Partners(streams: streams)
        sharing = Sharing(streams: streams)
        incentives = Incentives(streams: streams)
        evaluation = Evaluation(streams: streams)
        activity = TraditionalActivity(streams: streams)
        satisfaction = SatisfactionUpdate(streams: streams)
        expectations = ExpectationAdaptation()
        fees = FeePayment(streams: streams)
    }

    /// Names of the mechanisms in process order (for docs and `pillars params`).
    static let names = [ProblemArrival.name, CoGovernance.name, Disputes.name, Deliberation.name, Construction.name,
                        Partners.name, Sharing.name, Incentives.name, Evaluation.name, TraditionalActivity.name,
                        SatisfactionUpdate.name, ExpectationAdaptation.name, FeePayment.name]

    mutating func day(_ c: inout Community, _ d: Int) {
        Self.run(&problems, &c, d)
        Self.run(&governance, &c, d)
        Self.run(&disputes, &c, d)
        Self.run(&deliberation, &c, d)
        Self.run(&construction, &c, d)
        Self.run(&partners, &c, d)
        Self.run(&sharing, &c, d)
        Self.run(&incentives, &c, d)
        Self.run(&evaluation, &c, d)
        Self.run(&activity, &c, d)
        Self.run(&satisfaction, &c, d)
        Self.run(&expectations, &c, d)
        Self.run(&fees, &c, d)
    }

    @inline(__always)
    static func run<M: Submodel>(_ m: inout M, _ c: inout Community, _ d: Int) where M.World == Community {
        if m.cadence.fires(on: d) { m.step(&c, day: d) }
    }
}
