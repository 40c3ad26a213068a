/// Seeds derived from one master seed: per replication and per purpose, so that
/// switching one mechanism on does not shift another's draws (common random numbers).
///
/// Derivation is a pure function (SplitMix64 finaliser over the master seed, the
/// replication index and an FNV-1a hash of the purpose's name), stable across
/// processes, platforms and thread counts.
public enum Seeds {
    /// SplitMix64's finaliser: a bijective 64-bit mixer.
    @inlinable public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// FNV-1a of a string's UTF-8 bytes (Swift's Hasher is randomised per process; this is not).
    public static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
    /// The seed of replication `index` under `master`: 63 bits (below 2^63, the top bit
    /// cleared), so that readers which take integer columns as signed 64-bit (pyarrow.csv,
    /// polars) read the seed in a table exactly instead of as a float, and a row can be
    /// reproduced from its seed.
    public static func replication(master: UInt64, index: Int) -> UInt64 {
        mix(mix(master) ^ mix(UInt64(truncatingIfNeeded: index) &+ 0x5EED)) & 0x7FFF_FFFF_FFFF_FFFF
    }
    /// The seed of one purpose (a mechanism's stream) within a replication.
    public static func purpose(_ name: String, replicationSeed: UInt64) -> UInt64 {
        mix(replicationSeed ^ hash(name))
    }
}

/// The random streams of one replication, one per purpose, created on first use.
public final class StreamSet {
    public let replicationSeed: UInt64
    private var streams: [String: RandomStream] = [:]
    public init(replicationSeed: UInt64) { self.replicationSeed = replicationSeed }
    /// The stream for `purpose` (e.g. "population", "problems", "deliberation").
    public func stream(_ purpose: String) -> RandomStream {
        if let s = streams[purpose] { return s }
        let s = RandomStream(seed: Seeds.purpose(purpose, replicationSeed: replicationSeed))
        streams[purpose] = s
        return s
    }

    /// The exact state of every stream created so far (copies, untouched by later draws).
    public struct Snapshot {
        fileprivate let states: [String: RandomStream]
    }
    public func snapshot() -> Snapshot { Snapshot(states: streams.mapValues { $0.copy() }) }
    /// Put every stream back in its state at `snapshot`, in place (whoever holds a stream sees
    /// the restored state); streams created since are dropped, so they start afresh when asked
    /// for again. Together with a copy of the model's value state this restarts a replication
    /// from the moment of the snapshot.
    public func restore(_ snapshot: Snapshot) {
        streams = streams.filter { snapshot.states[$0.key] != nil }
        for (purpose, saved) in snapshot.states {
            if let live = streams[purpose] { live.restore(from: saved) } else { streams[purpose] = saved.copy() }
        }
    }
}
