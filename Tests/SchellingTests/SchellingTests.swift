import Testing
import Schelling
import SimCore
import TestSupport

/// Runs `steps` steps and returns the happy count after each.
private func series(_ m: SchellingModel, _ steps: Int) -> [Int] {
    (0..<steps).map { _ in m.step(); return m.happy }
}

@Suite("CPython random stream")
struct PythonRandomTests {
    // Expected values printed by CPython 3.11.7 (`random.Random(seed)`).
    @Test func rawOutputsMatchCPython() {
        let r = PythonRandom(seed: 42)
        #expect((0..<3).map { _ in r.getrandbits(32) } == [2_746_317_213, 478_163_327, 107_420_369])
        let big = PythonRandom(seed: (1 << 40) + 5)  // two-word key
        #expect((0..<2).map { _ in big.getrandbits(32) } == [2_166_296_868, 2_220_160_828])
        let zero = PythonRandom(seed: 0)
        #expect((0..<2).map { _ in zero.getrandbits(32) } == [3_626_764_237, 1_654_615_998])
    }

    @Test func randomShuffleRandbelowMatchCPython() {
        let r = PythonRandom(seed: 42)
        #expect(r.random() == 0.6394267984578837)
        #expect(r.random() == 0.025010755222666936)
        let s = PythonRandom(seed: 42)
        var x = Array(0..<10)
        x.withUnsafeMutableBufferPointer { s.shuffle($0) }
        #expect(x == [7, 3, 2, 8, 5, 6, 9, 4, 0, 1])
        #expect(s.randbelow(10_000) == 9674)
        #expect(s.randbelow(1) == 0)
    }

    /// The generator core against GSL's mt19937 (which seeds with plain init_genrand).
    @Test func coreMatchesGSLMersenneTwister() {
        for seed: UInt32 in [1, 5489, 4_000_000_000] {
            let ours = PythonRandom(genrandSeed: seed)
            let gsl = RandomStream(seed: UInt64(seed), kind: .mt19937)
            for _ in 0..<2000 {  // crosses several twists
                #expect(UInt32(gsl.uniform() * 4_294_967_296.0) == ours.next32())
            }
        }
    }
}

@Suite("Schelling, exact mode (Mesa golden values)")
struct SchellingExactTests {
    /// SPEC.md golden values: 100x100, 100 steps, seed 42, Mesa 3.5.1 (= 3.3.1).
    @Test func small100x100MatchesMesa() {
        let m = SchellingModel(config: .small, seed: 42, mode: .exact)
        #expect(m.agents == 8040)
        #expect(m.happy == 6109)
        let s = series(m, 100)
        #expect(s[0] == 7030)
        // all happy from step 16 on, not before
        #expect(s[14] < 8040)
        #expect(s[15...].allSatisfy { $0 == 8040 })
        #expect(m.moves == 4375)
        #expect(m.happyShare == 1.0)
        // whole series of the first 20 steps, from reference_schelling.py
        #expect(Array(s[..<20]) == [7030, 7476, 7688, 7812, 7900, 7966, 8001, 8025, 8030, 8036,
                                    8037, 8038, 8039, 8039, 8039, 8040, 8040, 8040, 8040, 8040])
    }

    /// SPEC.md golden values: 300x300, 20 steps, seed 42, Mesa 3.5.1 (50-try cap; the
    /// fallback to the list of empties happens twice in this run).
    @Test func large300x300MatchesMesa351() {
        let m = SchellingModel(config: .large, seed: 42, mode: .exact)
        #expect(m.agents == 72098)
        #expect(m.happy == 54127)
        let s = series(m, 20)
        #expect(s[0] == 62673)
        #expect(s[16] < 72098)
        #expect(s[17...].allSatisfy { $0 == 72098 })
        #expect(m.moves == 40824)
    }

    /// SPEC.md golden values: 300x300, 20 steps, seed 42, Mesa 3.3.1 (no try cap).
    @Test func large300x300MatchesMesa331WithoutCap() {
        var cfg = SchellingConfig.large
        cfg.emptyCellTries = nil
        let m = SchellingModel(config: cfg, seed: 42, mode: .exact)
        let s = series(m, 20)
        #expect(s[0] == 62673)
        #expect(s[18] < 72098 && s[19] == 72098)
        #expect(m.moves == 40878)
    }

    /// Counts from `reference_schelling.py --width 50 --height 80 --steps 30 --seed 42`.
    @Test func nonSquare50x80() {
        let m = SchellingModel(config: SchellingConfig(width: 50, height: 80, steps: 30), seed: 42, mode: .exact)
        #expect(m.agents == 3231)
        #expect(m.happy == 2412)
        let s = series(m, 30)
        #expect(Array(s[..<12]) == [2806, 2967, 3086, 3165, 3198, 3205, 3211, 3220, 3223, 3226, 3229, 3231])
        #expect(m.moves == 1824)
    }

    /// Counts from `reference_schelling.py --width 30 --height 30 --steps 10 --seed 3
    /// --density 0.97 --homophily 0.5 [--unbounded-tries]`: a crowded grid, where the
    /// fallback to the list of empties is frequent.
    @Test func crowdedGridExercisesFallback() {
        let cfg = SchellingConfig(width: 30, height: 30, density: 0.97, homophily: 0.5, steps: 10)
        let m = SchellingModel(config: cfg, seed: 3, mode: .exact)
        #expect(m.agents == 871 && m.happy == 495)
        #expect(series(m, 10) == [657, 750, 784, 810, 813, 831, 844, 852, 856, 859])
        #expect(m.moves == 1018)
        var unbounded = cfg
        unbounded.emptyCellTries = nil
        let u = SchellingModel(config: unbounded, seed: 3, mode: .exact)
        #expect(series(u, 10) == [658, 734, 785, 818, 832, 844, 854, 859, 863, 863])
        #expect(u.moves == 968)
    }

    /// Other parameters: `reference_schelling.py --width 30 --height 20 --steps 10 --seed 7
    /// --homophily 0.6 --density 0.9`.
    @Test func otherParameters() {
        let cfg = SchellingConfig(width: 30, height: 20, density: 0.9, homophily: 0.6, steps: 10)
        let m = SchellingModel(config: cfg, seed: 7, mode: .exact)
        #expect(m.agents == 537 && m.happy == 178)
        #expect(series(m, 10) == [269, 300, 344, 400, 415, 439, 451, 457, 469, 485])
        #expect(m.moves == 1648)
    }

    /// Radius 2 (the general evaluation path). Expected counts from reference_schelling.py
    /// with its neighbour loop widened to range(-2, 3): 40x30, density 0.8, minority 0.5,
    /// homophily 0.5, seed 11, 15 steps.
    @Test func radius2() {
        let cfg = SchellingConfig(width: 40, height: 30, homophily: 0.5, radius: 2, steps: 15)
        let m = SchellingModel(config: cfg, seed: 11, mode: .exact)
        #expect(m.agents == 960 && m.happy == 512)
        #expect(series(m, 15) == [690, 802, 872, 902, 915, 919, 939, 949, 950, 952, 951, 955, 956, 959, 959])
        #expect(m.moves == 1177)
    }

    /// The same reference run with radius 1 (the table path), for contrast.
    @Test func radius1SameRun() {
        let cfg = SchellingConfig(width: 40, height: 30, homophily: 0.5, radius: 1, steps: 15)
        let m = SchellingModel(config: cfg, seed: 11, mode: .exact)
        #expect(m.agents == 960 && m.happy == 528)
        #expect(series(m, 15) == [718, 808, 860, 893, 913, 933, 947, 953, 957, 957, 958, 959, 960, 960, 960])
        #expect(m.moves == 1096)
    }
}

@Suite("Schelling, fast mode (engine stream)")
struct SchellingFastTests {
    @Test(arguments: [1, 2, 42, 12345] as [UInt64])
    func smallConverges(seed: UInt64) {
        let cfg = SchellingConfig.small
        let m = SchellingModel(config: cfg, seed: seed, mode: .fast)
        let n = m.agents
        #expect(abs(Double(n) / Double(cfg.cellCount) - 0.8) < 0.02)  // sd ≈ 0.004
        var unhappy = 0
        var allHappyAt: Int?
        for s in 1...30 {
            unhappy += n - m.happy
            m.step()
            if allHappyAt == nil, m.happy == n { allHappyAt = s }
        }
        #expect(allHappyAt != nil)
        #expect(m.happyShare == 1.0)
        #expect(m.moves == unhappy)
    }

    @Test func deterministicPerSeed() {
        let cfg = SchellingConfig(width: 60, height: 40, steps: 10)
        let a = SchellingModel(config: cfg, seed: 9), b = SchellingModel(config: cfg, seed: 9)
        let c = SchellingModel(config: cfg, seed: 10)
        #expect(a.types == b.types && a.cells == b.cells)
        #expect(series(a, 10) == series(b, 10))
        #expect(a.cells == b.cells && a.moves == b.moves)
        #expect(a.types != c.types)
    }

    @Test(arguments: SchellingRandomMode.allCases)
    func invariants(mode: SchellingRandomMode) {
        let cfg = SchellingConfig(width: 25, height: 35, density: 0.9, homophily: 0.7, steps: 8)
        let m = SchellingModel(config: cfg, seed: 5, mode: mode)
        var unhappy = 0
        for _ in 0..<8 {
            unhappy += m.agents - m.happy
            m.step()
            // occupancy and cells agree; one agent per cell
            #expect(m.occupancy.filter { $0 >= 0 }.count == m.agents)
            #expect(m.cells.indices.allSatisfy { Int(m.occupancy[Int(m.cells[$0])]) == $0 })
            // happy count = brute-force rule E
            #expect(m.happy == bruteForceHappy(m))
        }
        #expect(m.moves == unhappy)
    }

    /// The same invariants over random configurations (SplitMix64, fixed seed): grid shapes
    /// from 1 cell wide, any density, homophily and radius, both random modes.
    @Test func invariantsHoldOnRandomConfigurations() {
        var rng = SplitMix64(0x5C4E_1111)
        for _ in 0..<24 {
            let cfg = SchellingConfig(width: rng.int(in: 1...30), height: rng.int(in: 1...30), density: rng.unit(),
                                      minority: rng.unit(), homophily: rng.unit(), radius: rng.int(in: 1...3), steps: 4)
            let mode = rng.pick(SchellingRandomMode.allCases)
            let m = SchellingModel(config: cfg, seed: rng.next(), mode: mode)
            var unhappy = 0
            for _ in 0..<4 {
                unhappy += m.agents - m.happy
                m.step()
                #expect(m.occupancy.filter { $0 >= 0 }.count == m.agents, "\(cfg) \(mode)")
                #expect(m.happy == bruteForceHappy(m), "\(cfg) \(mode)")
            }
            // Every unhappy agent moves when there is an empty cell to move to.
            #expect(m.agents < cfg.cellCount ? m.moves == unhappy : m.moves == 0, "\(cfg) \(mode): \(m.moves) moves, \(unhappy) unhappy")
        }
    }

    @Test func radius2FastMatchesBruteForce() {
        let m = SchellingModel(config: SchellingConfig(width: 20, height: 17, radius: 2, steps: 5), seed: 3)
        for _ in 0..<5 { m.step(); #expect(m.happy == bruteForceHappy(m)) }
    }

    @Test func homophilyZeroEveryoneHappy() {
        let m = SchellingModel(config: SchellingConfig(width: 10, height: 10, homophily: 0), seed: 1)
        #expect(m.happy == m.agents)
        m.step()
        #expect(m.moves == 0)
    }

    @Test func fullGridDoesNotMove() {
        let m = SchellingModel(config: SchellingConfig(width: 6, height: 7, density: 1.0, homophily: 1.0), seed: 1)
        #expect(m.agents == 42)
        m.step()
        #expect(m.moves == 0)
    }
}

/// Rule E written out plainly from SPEC.md, to check the table-driven evaluation.
private func bruteForceHappy(_ m: SchellingModel) -> Int {
    let w = m.config.width, h = m.config.height, r = m.config.radius
    var count = 0
    for a in 0..<m.agents {
        let c = Int(m.cells[a]), x = c / h, y = c % h
        var similar = 0, occupied = 0
        for dx in -r...r {
            for dy in -r...r where !(dx == 0 && dy == 0) {
                let nx = x + dx, ny = y + dy
                guard nx >= 0, nx < w, ny >= 0, ny < h else { continue }
                let b = Int(m.occupancy[nx * h + ny])
                if b >= 0 {
                    occupied += 1
                    if m.types[b] == m.types[a] { similar += 1 }
                }
            }
        }
        let frac = occupied > 0 ? Double(similar) / Double(occupied) : 0.0
        let happy = !(frac < m.config.homophily)
        #expect(happy == m.isHappy(a))
        if happy { count += 1 }
    }
    return count
}
