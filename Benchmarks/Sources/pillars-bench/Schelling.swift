// `pillars-bench schelling`: Mesa's Schelling model on the Pillars engine, timed the
// way Benchmarks/mesa/schelling.py times Mesa: a fixed number of
// `step()` calls (work continues after everyone is happy), model construction timed
// separately as setup_s, the step loop as wall_s; here K runs in one process and the
// medians are reported.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Schelling
import SimCore
import SimConfig

func runSchellingBenchmark(_ args: [String]) -> Int32 {
    var configs: [(String, SchellingConfig)] = [("small", .small), ("large", .large)]
    var seed: UInt64 = 42
    var runs = 5
    var mode = SchellingRandomMode.fast
    var stepsOverride: Int?

    var i = 0
    func value(_ flag: String) -> String {
        i += 1
        guard i < args.count else { fail("\(flag) needs a value") }
        return args[i]
    }
    while i < args.count {
        let a = args[i]
        switch a {
        case "--config":
            switch value(a) {
            case "small": configs = [("small", .small)]
            case "large": configs = [("large", .large)]
            case "all": configs = [("small", .small), ("large", .large)]
            case let v: fail("--config must be small, large or all (got '\(v)')")
            }
        case "--seed":
            let v = value(a)
            guard let s = UInt64(v) else { fail("--seed must be a non-negative integer (got '\(v)')") }
            seed = s
        case "--runs":
            let v = value(a)
            guard let k = Int(v), k >= 1 else { fail("--runs must be an integer >= 1 (got '\(v)')") }
            runs = k
        case "--steps":
            let v = value(a)
            guard let k = Int(v), k >= 1 else { fail("--steps must be an integer >= 1 (got '\(v)')") }
            stepsOverride = k
        case "--exact":
            mode = .exact
        case "--fast":
            mode = .fast
        case "-h", "--help":
            print(usage)
            return 0
        default:
            fail("unknown option '\(a)' for schelling")
        }
        i += 1
    }

    for (name, base) in configs {
        var cfg = base
        if let s = stepsOverride { cfg.steps = s }
        var walls: [Double] = [], cpus: [Double] = [], setups: [Double] = []
        var agents = 0, moves = 0, happyShare = 0.0, happyInitial = 0
        for run in 0..<runs {
            let t0 = wallSeconds()
            let model = SchellingModel(config: cfg, seed: seed, mode: mode)
            let t1 = wallSeconds()
            let c1 = cpuSeconds()
            let t2 = wallSeconds()
            for _ in 0..<cfg.steps { model.step() }
            let t3 = wallSeconds()
            let c3 = cpuSeconds()
            setups.append(t1 - t0)
            walls.append(t3 - t2)
            cpus.append(c3 - c1)
            // Every run has the same seed, so the same trajectory: check it.
            if run > 0, model.agents != agents || model.moves != moves || model.happyShare != happyShare {
                printError("pillars-bench: run \(run) differs from run 0 (not deterministic?)")
                return 1
            }
            agents = model.agents
            moves = model.moves
            happyShare = model.happyShare
            happyInitial = model.happyInitial
        }
        let wall = median(walls)
        let agentSteps = Double(agents * cfg.steps)
        print(resultLine([
            "config": name,
            "engine": "pillars",
            "mode": mode.rawValue,
            "agents": String(agents),
            "steps": String(cfg.steps),
            "wall_s": fmt(wall),
            "agent_steps_per_s": String(Int((agentSteps / wall).rounded())),
            "setup_s": fmt(median(setups)),
            "happy_share": fmt(happyShare),
            "moves": String(moves),
            "peak_rss_kib": String(peakRSSKiB()),
            "runs": String(runs),
            "cpu_s": fmt(median(cpus)),
            "agent_steps_per_cpu_s": String(Int((agentSteps / median(cpus)).rounded())),
            "happy_initial": String(happyInitial),
            "seed": String(seed),
            "width": String(cfg.width),
            "height": String(cfg.height),
            "loadavg_1m": fmt(loadAverage1m(), 3),
            "wall_s_all": walls.map { fmt($0, 4) }.joined(separator: ","),
        ]))
    }
    return 0
}
