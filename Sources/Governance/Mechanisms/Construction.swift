import Foundation
import SimCore

/// Co-construction (共建) — SHELL, being implemented (see issue 3).
public struct ConstructionSettings: Sendable {
    public var enabled: Bool
    public static let parameters: [ParameterSpec] = [
        .bool("construction.enabled", false, "Co-construction (共建) on or off.", source: "FIVE-PILLARS.md"),
    ]
    public init(_ p: ParameterSet) {
        enabled = p.bool("construction.enabled")
    }
}

/// State of Co-construction (共建) within one community.
public struct ConstructionState: Sendable {
    public init() {}
}

public struct Construction: Submodel {
    public static let name = "construction"
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.construction.enabled else { return }
    }
}

extension Community {
    /// Outputs of Co-construction (共建).
    func observeConstruction(day: Int, into out: inout OutputRow) {
    }
}
