import Foundation
import SimCore

/// Community partners (社区合伙人) — SHELL, being implemented (see issue 3).
public struct PartnerSettings: Sendable {
    public var enabled: Bool
    public static let parameters: [ParameterSpec] = [
        .bool("partners.enabled", false, "Community partners (社区合伙人) on or off.", source: "FIVE-PILLARS.md"),
    ]
    public init(_ p: ParameterSet) {
        enabled = p.bool("partners.enabled")
    }
}

/// State of Community partners (社区合伙人) within one community.
public struct PartnerState: Sendable {
    public init() {}
}

public struct Partners: Submodel {
    public static let name = "partners"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.partners.enabled else { return }
    }
}

extension Community {
    /// Outputs of Community partners (社区合伙人).
    func observePartners(day: Int, into out: inout OutputRow) {
    }
}
