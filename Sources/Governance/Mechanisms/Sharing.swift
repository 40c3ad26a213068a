import Foundation
import SimCore

/// Co-sharing (共享) — SHELL, being implemented (see issue 3).
public struct SharingSettings: Sendable {
    public var enabled: Bool
    public static let parameters: [ParameterSpec] = [
        .bool("sharing.enabled", false, "Co-sharing (共享) on or off.", source: "FIVE-PILLARS.md"),
    ]
    public init(_ p: ParameterSet) {
        enabled = p.bool("sharing.enabled")
    }
}

/// State of Co-sharing (共享) within one community.
public struct SharingState: Sendable {
    public init() {}
}

public struct Sharing: Submodel {
    public static let name = "sharing"
    public let cadence = Cadence.weekly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.sharing.enabled else { return }
    }
}

extension Community {
    /// Outputs of Co-sharing (共享).
    func observeSharing(day: Int, into out: inout OutputRow) {
    }
}
