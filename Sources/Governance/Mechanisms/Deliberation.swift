import Foundation
import SimCore

/// Co-deliberation (共商) — SHELL, being implemented (see issue 3).
public struct DeliberationSettings: Sendable {
    public var enabled: Bool
    public static let parameters: [ParameterSpec] = [
        .bool("deliberation.enabled", false, "Co-deliberation (共商) on or off.", source: "FIVE-PILLARS.md"),
    ]
    public init(_ p: ParameterSet) {
        enabled = p.bool("deliberation.enabled")
    }
}

/// State of Co-deliberation (共商) within one community.
public struct DeliberationState: Sendable {
    public init() {}
}

public struct Deliberation: Submodel {
    public static let name = "deliberation"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.deliberation.enabled else { return }
    }
}

extension Community {
    /// Outputs of Co-deliberation (共商).
    func observeDeliberation(day: Int, into out: inout OutputRow) {
    }
}
