// pillars-bench: wall-clock benchmarks of models built on the Pillars engine.
//
//   pillars-bench schelling --config small|large|all [--seed S] [--runs K] [--exact] [--steps N]
//   pillars-bench governance [--scenario PATH]… [--runs K] [--scaling] [--district] [--memory N]
//   pillars-bench decisions [--only rank|city|sobol]… [--city-communities N] [--sobol-n N] [--no-shared-warmup]
//
// A small dispatcher: each subcommand is a function `(arguments) -> exit status` in its
// own file. To add one, write `func runXxxBenchmark(_ args: [String]) -> Int32` and add a
// case below (and a line to `usage`).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: pillars-bench <benchmark> [options]

    benchmarks:
      schelling    Mesa's Schelling model (Sources/Schelling)
                   --config small|large|all   small = 100x100/100 steps, large = 300x300/20 steps (default all)
                   --seed S                   model seed (default 42)
                   --runs K                   timed runs in this process; the median is reported (default 5)
                   --exact                    CPython's random stream (Mesa's exact trajectory) instead of GSL taus2
                   --steps N                  override the config's number of steps
      governance   the five-pillars governance model (run from the repository root)
                   --scenario PATH            household-days per second per core of one replication (repeatable)
                   --runs K                   timed runs; the median is reported (default 5)
                   --scaling                  600 … 600,000 households (cost linear in households × days)
                   --district                 1,000 communities × 600 households × 3 years on all cores
                   --memory N                 resident bytes per household for N households (run alone)
                   (no option: five-pillars.yaml and the Chaoyang case, scaling and district)
      decisions    whole decisions, timed (run from the repository root)
                   rank: the nine bundled schemes vs _no-incentives to a participation half-width of 0.02
                   city: 6,000 communities x 1,500 households x 3 years in one district
                   sobol: Saltelli plan of the 11 calibrated parameters, N = 512, 4 replications
                   --only rank|city|sobol     run only these (repeatable)
                   --city-communities N       scale the city down for a quick check (default 6000)
                   --city-households N        households per community (default 1500)
                   --sobol-n N                Saltelli base sample size (default 512)
                   --no-shared-warmup         every scenario simulates its own warm-up
                   --jobs J                   threads (default: all cores)

    Output: one `RESULT key=value ...` line per config on stdout.
    """

func fail(_ message: String) -> Never {
    printError("pillars-bench: \(message)\n\n\(usage)")
    exit(64)  // EX_USAGE
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "schelling":
    exit(runSchellingBenchmark(Array(arguments.dropFirst())))
case "governance":
    exit(runGovernanceBenchmark(Array(arguments.dropFirst())))
case "decisions":
    exit(runDecisionsBenchmark(Array(arguments.dropFirst())))
case "-h", "--help", "help":
    print(usage)
    exit(0)
case nil:
    fail("missing benchmark name")
case let other?:
    fail("unknown benchmark '\(other)'")
}
