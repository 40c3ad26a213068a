// CPython's `random.Random` stream, re-implemented for the exact mode of the Schelling
// model (the only random stream Mesa's Schelling example draws from).
//
// Why not GSL's gsl_rng_mt19937? The generator core (MT19937 twist + tempering) is the
// same, but the seeding is not: GSL's `gsl_rng_set(r, s)` runs the 2002 `init_genrand(s)`
// recurrence, whereas `random.Random(n)` runs `init_genrand(19650218)` followed by
// `init_by_array(key)`, where key = the 32-bit little-endian words of |n|. GSL has no
// init_by_array and its state struct (`mt_state_t` in mt.c) is private, so the CPython
// state cannot be loaded into it through any API. A 624-word generator is a few lines,
// and being plain inlinable Swift it also avoids GSL's indirect call per draw.
// The engine's streams (RandomStream) stay on GSL; this generator exists only to
// reproduce Mesa's golden values bit for bit.
//
// Written from the published algorithm (Matsumoto & Nishimura 1998, with the 2002
// initialisation) and the semantics described in Benchmarks/mesa/SPEC.md.

/// MT19937 seeded and consumed exactly like CPython's `random.Random`:
/// `random()` (53 bits from two outputs), `getrandbits(k ≤ 32)`, `_randbelow(n)`
/// (rejection on `n.bit_length()` bits) and `shuffle`.
/// A class because the 2.5 KB state must not be copied; never share one between threads.
public final class PythonRandom {
    @usableFromInline static let n = 624
    @usableFromInline static let m = 397
    @usableFromInline let mt: UnsafeMutablePointer<UInt32>
    /// The current block of 624 outputs, already tempered (tempering is done block-wise in
    /// `twist`, where it vectorises, instead of once per draw).
    @usableFromInline let out: UnsafeMutablePointer<UInt32>
    @usableFromInline var index: Int

    /// `random.Random(seed)` for a non-negative integer seed (CPython uses |seed|; the key
    /// is the seed's 32-bit words, least significant first, `[0]` for 0).
    public convenience init(seed: UInt64) {
        let lo = UInt32(truncatingIfNeeded: seed), hi = UInt32(truncatingIfNeeded: seed >> 32)
        self.init(key: hi == 0 ? [lo] : [lo, hi])
    }

    /// `init_by_array(key)` (CPython's seeding of a `random.Random`).
    public init(key: [UInt32]) {
        mt = .allocate(capacity: Self.n)
        out = .allocate(capacity: Self.n)
        index = Self.n
        initGenrand(19_650_218)
        let n = Self.n
        let keyLength = max(key.count, 1)
        let key = key.isEmpty ? [0] : key
        var i = 1, j = 0
        for _ in 0..<max(n, keyLength) {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30)
            mt[i] = (mt[i] ^ (prev &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= keyLength { j = 0 }
        }
        for _ in 0..<(n - 1) {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30)
            mt[i] = (mt[i] ^ (prev &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
        }
        mt[0] = 0x8000_0000
    }

    /// Plain `init_genrand(s)` seeding (what GSL's gsl_rng_mt19937 does with a non-zero seed).
    /// Only used to cross-check the generator core against GSL.
    public init(genrandSeed s: UInt32) {
        mt = .allocate(capacity: Self.n)
        out = .allocate(capacity: Self.n)
        index = Self.n
        initGenrand(s)
    }

    deinit { mt.deallocate(); out.deallocate() }

    private func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<Self.n {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.n
    }

    /// Regenerate the 624 words.
    @usableFromInline func twist() {
        let n = Self.n, m = Self.m
        @inline(__always) func mix(_ a: UInt32, _ b: UInt32, _ c: UInt32) -> UInt32 {
            let y = (a & 0x8000_0000) | (b & 0x7fff_ffff)
            return c ^ (y >> 1) ^ ((y & 1) &* 0x9908_b0df)
        }
        for k in 0..<(n - m) { mt[k] = mix(mt[k], mt[k + 1], mt[k + m]) }
        for k in (n - m)..<(n - 1) { mt[k] = mix(mt[k], mt[k + 1], mt[k + m - n]) }
        mt[n - 1] = mix(mt[n - 1], mt[0], mt[m - 1])
        for k in 0..<n {
            var y = mt[k]
            y ^= y >> 11
            y ^= (y << 7) & 0x9d2c_5680
            y ^= (y << 15) & 0xefc6_0000
            y ^= y >> 18
            out[k] = y
        }
        index = 0
    }

    /// The next raw 32-bit output (`genrand_uint32`).
    @inlinable @inline(__always) public func next32() -> UInt32 {
        if index >= Self.n { twist() }
        let y = out[index]
        index &+= 1
        return y
    }

    /// `random()`: a double in [0, 1) with 53 random bits (`genrand_res53`).
    @inlinable public func random() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for 1 ≤ k ≤ 32: the top k bits of one output.
    @inlinable @inline(__always) public func getrandbits(_ k: Int) -> UInt32 {
        next32() >> UInt32(32 - k)
    }

    /// `_randbelow(n)` for 1 ≤ n < 2³²: draw `n.bit_length()` bits until the value is < n.
    /// (`n == 0` returns 0 without drawing; CPython would raise in the callers we mimic.)
    @inlinable @inline(__always) public func randbelow(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        let shift = UInt32(n.leadingZeroBitCount - 32)  // 32 - bit_length(n), n < 2^32
        var r = Int(next32() >> shift)
        while r >= n { r = Int(next32() >> shift) }
        return r
    }

    /// `shuffle(x)`: for i = count-1 down to 1, swap x[i] with x[_randbelow(i+1)].
    @inlinable public func shuffle<T>(_ x: UnsafeMutableBufferPointer<T>) {
        var i = x.count - 1
        while i > 0 {
            x.swapAt(i, randbelow(i + 1))
            i -= 1
        }
    }
}
