import Foundation
import SimCore

/// Co-evaluation (共评) — SHELL, being implemented (see issue 3).
public struct EvaluationSettings: Sendable {
    public var enabled: Bool
    public static let parameters: [ParameterSpec] = [
        .bool("evaluation.enabled", false, "Co-evaluation (共评) on or off.", source: "FIVE-PILLARS.md"),
    ]
    public init(_ p: ParameterSet) {
        enabled = p.bool("evaluation.enabled")
    }
}

/// State of Co-evaluation (共评) within one community.
public struct EvaluationState: Sendable {
    public init() {}
}

public struct Evaluation: Submodel {
    public static let name = "evaluation"
    public let cadence = Cadence.quarterly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.evaluation.enabled else { return }
    }
}

extension Community {
    /// Outputs of Co-evaluation (共评).
    func observeEvaluation(day: Int, into out: inout OutputRow) {
    }
}
