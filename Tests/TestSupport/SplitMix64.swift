import SimCore

/// SplitMix64 (Steele, Lea & Flood 2014): the tests' own deterministic random numbers (fuzz
/// inputs, kill delays), the same on every platform and run. Each output is the engine's
/// finaliser `Seeds.mix` (which adds the golden-ratio increment before mixing) of the state,
/// and the state then advances by that increment — so the sequence is the reference one
/// (state 0 gives 0xE220_A839_7B1D_CDAF first; EngineTests checks it).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(_ seed: UInt64) { state = seed }
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return Seeds.mix(state)
    }
    /// Uniform in 0..<n (0 without a draw when n ≤ 1).
    public mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    public mutating func int(in r: ClosedRange<Int>) -> Int { r.lowerBound + int(r.count) }
    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    public mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
}
