import ArgumentParser
import SimCore
import Experiments

extension Pillars {
    /// The entry point: signals first (a closed pipe, Ctrl-C or SIGTERM stops cleanly and keeps
    /// what was written), then the argument parser.
    static func main() {
        Interrupts.install()
        main(attachingNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
    }
}

/// Numeric options whose value may be negative on the command line.
private let numericOptions: Set<String> = ["--seed", "--reps", "--jobs", "--points", "--tolerance", "--max-iterations", "--samples", "--bootstrap"]

/// `--seed -1` as `--seed=-1`. The argument parser reads `-1` as an option of its own and
/// reported "Missing value for '--seed'"; attached, the value reaches the option's own check
/// ("--reps must be in 1…1000000 (got -1)", or "The value '-1' is invalid for '--seed'").
func attachingNegativeNumbers(_ args: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    while i < args.count {
        let a = args[i]
        if a == "--" { out += args[i...]; break }
        if numericOptions.contains(a), i + 1 < args.count, isNegativeNumber(args[i + 1]) {
            out.append(a + "=" + args[i + 1])
            i += 2
            continue
        }
        out.append(a)
        i += 1
    }
    return out
}

private func isNegativeNumber(_ s: String) -> Bool {
    guard s.hasPrefix("-"), s.count > 1 else { return false }
    let rest = s.dropFirst()
    return rest.first.map { $0.isNumber || $0 == "." } == true || ["inf", "infinity", "nan"].contains(rest.lowercased())
}
