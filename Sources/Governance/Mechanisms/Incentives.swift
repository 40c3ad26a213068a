import Foundation
import SimCore

/// Incentive schemes — SHELL, being implemented (see issue 3).
public struct IncentiveSettings: Sendable {
    public var enabled: Bool
    public static let parameters: [ParameterSpec] = [
        .bool("incentives.enabled", false, "Incentive schemes on or off.", source: "FIVE-PILLARS.md"),
    ]
    public init(_ p: ParameterSet) {
        enabled = p.bool("incentives.enabled")
    }
}

/// State of Incentive schemes within one community.
public struct IncentiveState: Sendable {
    public init() {}
}

public struct Incentives: Submodel {
    public static let name = "incentives"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.incentives.enabled else { return }
    }
}

extension Community {
    /// Outputs of Incentive schemes.
    func observeIncentives(day: Int, into out: inout OutputRow) {
    }
}
