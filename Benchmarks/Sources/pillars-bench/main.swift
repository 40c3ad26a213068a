// pillars-bench: wall-clock benchmarks of models built on the Pillars engine.
//
//   pillars-bench schelling --config small|large|all [--seed S] [--runs K] [--exact] [--steps N]
//   pillars-bench governance ...        (not yet available)
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
      governance   the five-pillars governance model (not yet available)

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
    // Hook for the governance model's benchmark (to be added by the lead).
    printError("pillars-bench: the governance benchmark is not yet available")
    exit(2)
case "-h", "--help", "help":
    print(usage)
    exit(0)
case nil:
    fail("missing benchmark name")
case let other?:
    fail("unknown benchmark '\(other)'")
}
