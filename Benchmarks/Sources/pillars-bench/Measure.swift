// Clocks, peak RSS, medians and the RESULT line: shared by all benchmarks.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Write a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Monotonic wall clock in seconds (CLOCK_MONOTONIC).
func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// CPU time of this process in seconds (CLOCK_PROCESS_CPUTIME_ID).
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Peak resident set size of this process in KiB (getrusage; ru_maxrss is KiB on Linux).
func peakRSSKiB() -> Int {
    var u = rusage()
    #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &u)
    return Int(u.ru_maxrss) / 1024  // bytes on macOS
    #else
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Int(u.ru_maxrss)
    #endif
}

/// 1-minute load average (−1 when unavailable).
func loadAverage1m() -> Double {
    var l = [Double](repeating: -1, count: 3)
    return getloadavg(&l, 3) >= 1 ? l[0] : -1
}

/// Median (mean of the two middle values for an even count).
func median(_ xs: [Double]) -> Double {
    precondition(!xs.isEmpty)
    let s = xs.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/// `x` with `digits` significant digits in fixed notation (no exponent).
func fmt(_ x: Double, _ digits: Int = 6) -> String {
    guard x.isFinite, x != 0 else { return "\(x)" }
    let magnitude = Int(log10(abs(x)).rounded(.down))
    let decimals = max(0, digits - 1 - magnitude)
    return String(format: "%.\(decimals)f", x)
}

/// One `RESULT k=v ...` line (values must not contain spaces).
func resultLine(_ pairs: KeyValuePairs<String, String>) -> String {
    "RESULT " + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
}
