// Mesa 3.5.1's Schelling segregation model (mesa/examples/basic/schelling), re-implemented
// on the Pillars engine for benchmarking. The model is described in Benchmarks/mesa/SPEC.md;
// the comments name its rules: E, the evaluation of happiness (the share of one's own type
// among occupied Moore neighbours ≥ homophily); M, the move of an unhappy agent to an empty
// cell drawn uniformly from the grid; M3, Mesa ≥ 3.4's limit of 50 draws for that cell.
//
// Layout (struct of arrays, nothing allocated per agent or per step):
// - agents in creation order: `types` (UInt8, 0/1), `cells` (Int32, c = x*height + y),
//   `paddedCells` (Int32, the same cell in the padded grid), happy flags (UInt8);
// - `occupancy` (Int32 per cell, agent index or −1) for the empty-cell picks;
// - `codes`, the grid padded by `radius` empty cells on every side, one byte per cell:
//   0 empty, 1 type 0, 16 type 1. The padding is never occupied, so edges and corners
//   need no bounds checks: the padding cells count as empty, exactly like cells that
//   do not exist in Mesa's non-wrapping grid.
// Evaluation (rule E) with radius 1 sums the 8 neighbour codes of every cell in one
// branch-free, vectorisable pass (low nibble = type-0 neighbours, high nibble = type-1
// neighbours) and then looks each agent's (type, sum) up in a 512-entry table that was
// filled with the spec's float comparison `similar/occupied >= homophily`, so the table
// gives bit-for-bit the same answer as Mesa's division.

import SimCore

/// Mesa's Schelling model. Agents are indices 0..<agents in creation order.
/// One object per model (no object per agent); not thread-safe.
public final class SchellingModel {
    public let config: SchellingConfig
    public let seed: UInt64
    public let mode: SchellingRandomMode

    /// Agent types (0 or 1), in creation order.
    public private(set) var types: [UInt8]
    /// Agent cells, c = x*height + y, in creation order.
    public private(set) var cells: [Int32]
    /// For each cell c, the agent in it, or −1 when empty.
    public private(set) var occupancy: [Int32]
    /// The number of happy agents after the last evaluation (Mesa's `model.happy`).
    public private(set) var happy: Int = 0
    /// The happy count right after initialisation.
    public private(set) var happyInitial: Int = 0
    /// Moves made so far (one per agent that was unhappy at the start of a step).
    public private(set) var moves: Int = 0
    /// Steps done so far.
    public private(set) var stepsDone: Int = 0

    /// N, the number of agents (fixed for the whole run).
    public var agents: Int { types.count }
    /// happy / N (0 when there are no agents).
    public var happyShare: Double { agents == 0 ? 0 : Double(happy) / Double(agents) }
    /// Whether agent `i` was happy at the last evaluation.
    public func isHappy(_ i: Int) -> Bool { happyFlags[i] != 0 }

    // MARK: internal state

    private enum Source {
        case fast(RandomStream)
        case exact(PythonRandom)
    }
    private let source: Source
    private var happyFlags: [UInt8]
    /// Padded grid of codes: 0 empty, 1 type 0, 16 type 1.
    private var codes: [UInt8]
    /// Neighbour-code sums per padded cell (radius 1 only); scratch of evaluate().
    private var sums: [UInt8]
    /// Agent cells in the padded grid.
    private var paddedCells: [Int32]
    /// Scratch: activation order, list of empty cells.
    private var order: [Int32]
    private var empties: [Int32]
    /// Radius 1: happy[(type << 8) | sum], sum = type-0 neighbours + 16 × type-1 neighbours.
    private let table: [UInt8]
    /// Other radii: offsets of the neighbour cells in the padded grid.
    private let offsets: [Int]
    private let paddedHeight: Int

    /// Build the model: place the agents (initialisation step 2 of the spec) and evaluate them (rule E).
    public init(config: SchellingConfig, seed: UInt64, mode: SchellingRandomMode = .fast) {
        self.config = config
        self.seed = seed
        self.mode = mode
        let r = config.radius
        let w = config.width, h = config.height
        let ph = h + 2 * r, pw = w + 2 * r
        paddedHeight = ph

        var offs: [Int] = []
        for dx in -r...r {
            for dy in -r...r where dx != 0 || dy != 0 { offs.append(dx * ph + dy) }
        }
        offsets = offs

        // Happiness table, filled with the spec's float rule so lookups equal Mesa's division.
        func isHappy(similar: Int, occupied: Int) -> UInt8 {
            let frac = occupied > 0 ? Double(similar) / Double(occupied) : 0.0
            return frac < config.homophily ? 0 : 1
        }
        var tab: [UInt8]
        if r == 1 {
            tab = [UInt8](repeating: 0, count: 512)
            for t in 0..<2 {
                for n0 in 0...8 {
                    for n1 in 0...(8 - n0) {
                        tab[(t << 8) | (n0 + 16 * n1)] = isHappy(similar: t == 0 ? n0 : n1, occupied: n0 + n1)
                    }
                }
            }
        } else {
            tab = []  // the general path divides directly
        }
        table = tab

        let source: Source
        switch mode {
        case .fast: source = .fast(RandomStream(seed: seed))
        case .exact: source = .exact(PythonRandom(seed: seed))
        }
        self.source = source

        // Initialisation: for each cell in cell order, draw for an agent, then for its type.
        let cellCount = w * h
        var types: [UInt8] = [], cells: [Int32] = [], padded: [Int32] = []
        var occupancy = [Int32](repeating: -1, count: cellCount)
        var codes = [UInt8](repeating: 0, count: pw * ph)
        let reserve = min(cellCount, Int(Double(cellCount) * min(max(config.density, 0), 1) * 1.05) + 16)
        types.reserveCapacity(reserve); cells.reserveCapacity(reserve); padded.reserveCapacity(reserve)
        func populate<R: SchellingRandomSource>(_ rng: R) {
            var c = 0
            for x in 0..<w {
                for y in 0..<h {
                    if rng.unit() < config.density {
                        let t: UInt8 = rng.unit() < config.minority ? 1 : 0
                        let p = (x + r) * ph + (y + r)
                        occupancy[c] = Int32(types.count)
                        codes[p] = t == 0 ? 1 : 16
                        types.append(t)
                        cells.append(Int32(c))
                        padded.append(Int32(p))
                    }
                    c += 1
                }
            }
        }
        switch source {
        case .fast(let s): populate(s)
        case .exact(let s): populate(s)
        }
        self.types = types
        self.cells = cells
        self.paddedCells = padded
        self.occupancy = occupancy
        self.codes = codes
        sums = r == 1 ? [UInt8](repeating: 0, count: pw * ph) : []
        happyFlags = [UInt8](repeating: 0, count: types.count)
        order = [Int32](repeating: 0, count: types.count)
        empties = [Int32](repeating: 0, count: cellCount)
        evaluate()
        happyInitial = happy
    }

    /// One step of Mesa's model: shuffle the creation order, move every agent whose flag
    /// (from the previous evaluation) says unhappy, in that order, then evaluate everyone.
    public func step() {
        switch source {
        case .fast(let s): moveUnhappy(s)
        case .exact(let s): moveUnhappy(s)
        }
        evaluate()
        stepsDone += 1
    }

    /// `config.steps` steps.
    public func run() {
        for _ in 0..<config.steps { step() }
    }

    // MARK: step parts

    /// Step items 2–3: random activation order (a fresh shuffle of the creation order),
    /// then rule M for every agent flagged unhappy.
    private func moveUnhappy<R: SchellingRandomSource>(_ rng: R) {
        let n = types.count
        guard n > 0 else { return }
        let cellCount = config.cellCount
        let emptyCount = cellCount - n
        let tries = config.emptyCellTries ?? Int.max
        let height = config.height, r = config.radius, ph = paddedHeight
        var moved = 0
        order.withUnsafeMutableBufferPointer { order in
            for i in 0..<n { order[i] = Int32(truncatingIfNeeded: i) }
            // Fisher–Yates exactly as CPython's shuffle: i from n-1 down to 1, j = below(i+1).
            var i = n - 1
            while i > 0 {
                order.swapAt(i, rng.below(i &+ 1))
                i &-= 1
            }
            // The movers in activation order: agents whose flag (from the last evaluation)
            // says unhappy. Compacted in place, branch-free; the flags do not change during
            // the moves, so deciding first and moving second is the same as Mesa's loop.
            var movers = 0
            happyFlags.withUnsafeBufferPointer { flags in
                for k in 0..<n {
                    let a = order[k]
                    order[movers] = a
                    movers &+= Int(flags[Int(a)] ^ 1)
                }
            }
            guard emptyCount > 0 else { return }  // full grid: nowhere to go (Mesa would raise)
            occupancy.withUnsafeMutableBufferPointer { occ in
            codes.withUnsafeMutableBufferPointer { codes in
            cells.withUnsafeMutableBufferPointer { cells in
            paddedCells.withUnsafeMutableBufferPointer { padded in
            types.withUnsafeBufferPointer { types in
            empties.withUnsafeMutableBufferPointer { empties in
                for k in 0..<movers {
                    let a = Int(order[k])
                    // Rule M3: up to `tries` uniform picks over all cells, then the list of empties.
                    var dest = -1
                    var t = 0
                    while t < tries {
                        let c = rng.below(cellCount)
                        if occ[c] < 0 { dest = c; break }
                        t += 1
                    }
                    if dest < 0 {
                        var m = 0
                        for c in 0..<cellCount where occ[c] < 0 {
                            empties[m] = Int32(truncatingIfNeeded: c)
                            m += 1
                        }
                        dest = Int(empties[rng.below(m)])
                    }
                    let from = Int(cells[a])
                    occ[from] = -1
                    occ[dest] = Int32(truncatingIfNeeded: a)
                    codes[Int(padded[a])] = 0
                    let p = (dest / height + r) * ph + dest % height + r
                    codes[p] = types[a] == 0 ? 1 : 16
                    cells[a] = Int32(truncatingIfNeeded: dest)
                    padded[a] = Int32(truncatingIfNeeded: p)
                    moved += 1
                }
            }
            }
            }
            }
            }
            }
        }
        moves += moved
    }

    /// Rule E for every agent: sets the happy flags and `happy`.
    private func evaluate() {
        let n = types.count
        if config.radius == 1 { evaluateRadius1(n) } else { evaluateGeneral(n) }
    }

    private func evaluateRadius1(_ n: Int) {
        let ph = paddedHeight
        let total = codes.count
        var count = 0
        codes.withUnsafeBufferPointer { g in
        sums.withUnsafeMutableBufferPointer { s in
            // Neighbour sums of every cell with a full ring inside the padded array
            // (all real cells); padding cells get garbage that is never read.
            // Eight shifted views of the grid; 16 cells per SIMD add, then a scalar tail.
            let lo = ph + 1, span = total - 2 * ph - 2
            let g = UnsafeRawPointer(g.baseAddress!), out = UnsafeMutableRawPointer(s.baseAddress! + lo)
            let a0 = g + (lo - ph - 1), a1 = a0 + 1, a2 = a0 + 2
            let b0 = g + (lo - 1), b2 = g + (lo + 1)
            let c0 = g + (lo + ph - 1), c1 = c0 + 1, c2 = c0 + 2
            typealias V = SIMD16<UInt8>
            var i = 0
            while i &+ 16 <= span {
                var v = a0.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= a1.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= a2.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= b0.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= b2.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= c0.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= c1.loadUnaligned(fromByteOffset: i, as: V.self)
                v &+= c2.loadUnaligned(fromByteOffset: i, as: V.self)
                out.storeBytes(of: v, toByteOffset: i, as: V.self)
                i &+= 16
            }
            while i < span {
                var v = a0.load(fromByteOffset: i, as: UInt8.self)
                v &+= a1.load(fromByteOffset: i, as: UInt8.self)
                v &+= a2.load(fromByteOffset: i, as: UInt8.self)
                v &+= b0.load(fromByteOffset: i, as: UInt8.self)
                v &+= b2.load(fromByteOffset: i, as: UInt8.self)
                v &+= c0.load(fromByteOffset: i, as: UInt8.self)
                v &+= c1.load(fromByteOffset: i, as: UInt8.self)
                v &+= c2.load(fromByteOffset: i, as: UInt8.self)
                out.storeBytes(of: v, toByteOffset: i, as: UInt8.self)
                i &+= 1
            }
            table.withUnsafeBufferPointer { tab in
            types.withUnsafeBufferPointer { types in
            paddedCells.withUnsafeBufferPointer { padded in
            happyFlags.withUnsafeMutableBufferPointer { flags in
                for a in 0..<n {
                    let key = Int(types[a]) &<< 8 | Int(s[Int(padded[a])])
                    let f = tab[key]
                    flags[a] = f
                    count &+= Int(f)
                }
            }
            }
            }
            }
        }
        }
        happy = count
    }

    private func evaluateGeneral(_ n: Int) {
        let homophily = config.homophily
        var count = 0
        codes.withUnsafeBufferPointer { g in
        offsets.withUnsafeBufferPointer { offs in
        types.withUnsafeBufferPointer { types in
        paddedCells.withUnsafeBufferPointer { padded in
        happyFlags.withUnsafeMutableBufferPointer { flags in
            for a in 0..<n {
                let p = Int(padded[a])
                var n0 = 0, n1 = 0
                for o in offs {
                    let code = g[p + o]
                    n0 &+= Int(code & 1)
                    n1 &+= Int(code >> 4)
                }
                let similar = types[a] == 0 ? n0 : n1, occupied = n0 + n1
                let frac = occupied > 0 ? Double(similar) / Double(occupied) : 0.0
                let f: UInt8 = frac < homophily ? 0 : 1
                flags[a] = f
                count &+= Int(f)
            }
        }
        }
        }
        }
        }
        happy = count
    }
}
