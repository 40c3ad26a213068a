import Foundation
import SimCore
import SimConfig

/// Plausible parameter sets (a posterior sample, e.g. `Scenarios/posterior.csv` from
/// `pillars calibrate --posterior-out`): one row per draw, one column per parameter path.
/// Replication r of a run with draws uses draw r mod N overlaid on the scenario's initial
/// parameters (a timeline entry that sets the same path still wins from its day on), so the
/// intervals over replications carry parameter uncertainty as well as seed noise
/// (docs/CALIBRATION.md).
public struct ParameterDraws: Sendable, Equatable {
    /// The file the draws were read from (named in errors).
    public var file: String
    /// Parameter paths, the CSV's header.
    public var paths: [String]
    /// The draws read: the first `min(count, used)` of the file, values in `paths` order.
    public var rows: [[Double]]
    /// The number of draws in the file (N of "draw r mod N").
    public var count: Int

    public init(file: String, paths: [String], rows: [[Double]], count: Int? = nil) {
        self.file = file
        self.paths = paths
        self.rows = rows
        self.count = count ?? rows.count
    }

    /// Bytes a draw takes in memory once read (its values and the array around them).
    public static func bytesPerDraw(columns: Int) -> Double { Double(8 * columns + 64) }

    /// Read a draws file in one pass, parsing only the draws a run uses: replication r uses
    /// draw r mod N, so `used` replications need the first min(N, used) draws; the others
    /// are counted (blank lines skipped) but not parsed or kept, so a file of a million draws
    /// costs what two draws cost when two replications run. Errors name the file, the line
    /// (row) and the column: a path that is not a regular file (a folder, a FIFO, a device);
    /// an empty file; a header that is not a registered real or whole-number parameter (or
    /// repeats one); a used row with the wrong number of fields, a field that is not a finite
    /// number, has a control character (a NUL), is a fraction for a whole-number parameter,
    /// or is outside the parameter's declared range. A leading byte-order mark and CRLF line
    /// ends are read as if absent (as in a design file).
    /// `memoryLimit` (bytes, with what it is for the message): the draws read may not take more.
    public static func load(_ path: String, using used: Int = .max, registry: ParameterRegistry = GovernanceModel.schema.registry,
                            memoryLimit: (bytes: Double, text: String)? = nil) throws -> ParameterDraws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ConfigError(file: path, "cannot read the posterior file (no such file)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ConfigError(file: path, "is not a regular file (a folder, a FIFO or a device); expected a CSV of parameter draws")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError(file: path, "cannot read the posterior file")
        }
        defer { try? handle.close() }
        var paths: [String]? = nil
        var specs: [ParameterSpec] = []
        var rows: [[Double]] = []
        var count = 0
        var probe = ParameterSet(defaultsOf: registry)
        var lineNumber = 0
        var pending = [UInt8]()

        func header(_ raw: Substring) throws {
            guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(file: path, line: 1, "empty; expected a header of parameter paths")
            }
            let ps = raw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var seen = Set<String>()
            for p in ps {
                guard let spec = registry[p] else {
                    throw ConfigError(file: path, line: 1, path: ConfigError.oneLine(p), "unknown parameter" + (registry.suggestion(for: p).map { " (did you mean '\($0)'?)" } ?? ""))
                }
                switch spec.kind {
                case .double, .int: break
                default: throw ConfigError(file: path, line: 1, path: p, "only numeric parameters can be drawn (this one is \(spec.expectation))")
                }
                guard seen.insert(p).inserted else { throw ConfigError(file: path, line: 1, path: p, "column repeated") }
                specs.append(spec)
            }
            paths = ps
        }
        func draw(_ line: Substring, _ ps: [String]) throws {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == ps.count else {
                throw ConfigError(file: path, line: lineNumber, "row \(count + 1): \(fields.count) fields, expected \(ps.count)")
            }
            var row: [Double] = []
            row.reserveCapacity(ps.count)
            for (k, raw) in fields.enumerated() {
                let f = raw.trimmingCharacters(in: .whitespaces)
                guard let x = Double(f), x.isFinite else {
                    throw ConfigError(file: path, line: lineNumber, path: ps[k], "row \(count + 1): '\(ConfigError.oneLine(String(f.prefix(40))))' is not a finite number")
                }
                if let problem = specs[k].cellProblem(Substring(f), value: x) {
                    throw ConfigError(file: path, line: lineNumber, path: ps[k], "row \(count + 1): \(problem)")
                }
                do { try probe.set(ps[k], number: x) } catch {
                    throw ConfigError(file: path, line: lineNumber, path: ps[k], "row \(count + 1): \(error.message)")
                }
                row.append(x)
            }
            rows.append(row)
            if let memoryLimit, Double(rows.count) * bytesPerDraw(columns: ps.count) > memoryLimit.bytes {
                throw ConfigError(file: path, line: lineNumber, "the draws used so far (\(rows.count) of \(ps.count) values each) would take more memory than \(memoryLimit.text); use fewer --reps or a smaller posterior")
            }
        }
        /// One physical line (without its LF).
        func take(_ bytes: UnsafeRawBufferPointer) throws {
            lineNumber += 1
            var b = bytes
            if b.last == UInt8(ascii: "\r") { b = UnsafeRawBufferPointer(rebasing: b.dropLast()) }
            if paths == nil {
                if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = UnsafeRawBufferPointer(rebasing: b.dropFirst(3)) }
                guard let text = String(validating: b, as: UTF8.self) else {
                    throw ConfigError(file: path, line: 1, "is not UTF-8 text; expected a CSV of parameter draws")
                }
                try header(Substring(text))
                return
            }
            guard b.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
            if count < used {
                guard let text = String(validating: b, as: UTF8.self) else {
                    throw ConfigError(file: path, line: lineNumber, "row \(count + 1): is not UTF-8 text")
                }
                try draw(Substring(text), paths!)
            }
            count += 1
        }
        let lf = UInt8(ascii: "\n")
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw ConfigError(file: path, "cannot read the posterior file (\(error.localizedDescription))")
            }
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
                var start = 0
                while start < buf.count {
                    guard let nl = memchr(buf.baseAddress! + start, Int32(lf), buf.count - start) else {
                        pending.append(contentsOf: buf[start...])
                        return
                    }
                    let end = buf.baseAddress!.distance(to: UnsafeRawPointer(nl))
                    if pending.isEmpty {
                        try take(UnsafeRawBufferPointer(rebasing: buf[start..<end]))
                    } else {
                        pending.append(contentsOf: buf[start..<end])
                        try pending.withUnsafeBytes { try take($0) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    start = end + 1
                }
            }
        }
        if !pending.isEmpty || lineNumber == 0 { try pending.withUnsafeBytes { try take($0) } }
        guard let paths else { throw ConfigError(file: path, line: 1, "empty; expected a header of parameter paths") }
        guard count > 0 else { throw ConfigError(file: path, line: 2, "no draws; expected one row per parameter set") }
        return ParameterDraws(file: path, paths: paths, rows: rows, count: count)
    }

    /// `s` with draw `index` mod N's values set (the values were range-checked on loading).
    /// What a planner states wins over what is inferred: a parameter the scenario was given by
    /// `--set` or by a scheme overlay (`Scenario.stated`) keeps that value; the draw fills only
    /// the others (docs/ODD.md, "Precedence").
    public func scenario(_ s: Scenario, draw index: Int) -> Scenario {
        var s = s
        let i = ((index % count) + count) % count
        precondition(i < rows.count, "draw \(i) of \(file) was not read (loaded with fewer replications than run)")
        for (p, x) in zip(paths, rows[i]) where !s.stated.contains(p) { try? s.parameters.set(p, number: x) }
        return s
    }

    /// The columns a scenario leaves to the draws (those it does not state itself).
    public func drawnPaths(for s: Scenario) -> [String] { paths.filter { !s.stated.contains($0) } }

    /// `s` as replication `replication` runs it: with draw `replication` mod N.
    public func scenario(_ s: Scenario, replication: Int) -> Scenario { scenario(s, draw: replication) }

    /// Check every draw against a scenario's cross-parameter rules (the model's validation of a
    /// scenario with that draw's values); errors name the file, the draw's line and the rule.
    public func validate(against s: Scenario) throws {
        for i in rows.indices {
            do { try GovernanceModel.validate(scenario(s, draw: i)) } catch {
                throw ConfigError(file: file, line: i + 2, "row \(i + 1) with \(s.file): \(error)")
            }
        }
    }

    /// The draws as a CSV (header of paths, one row per draw, numbers as scenario files write
    /// them, so a written file reads back to the values a run sets).
    /// Only the draws read are written (all of them when the file was read whole).
    public var csv: String {
        var out = paths.joined(separator: ",") + "\n"
        for r in rows { out += r.map { formatParam($0) }.joined(separator: ",") + "\n" }
        return out
    }
}

extension ParameterDraws? {
    /// The scenario replication `r` runs: `s` itself without draws.
    public func scenario(_ s: Scenario, replication r: Int) -> Scenario {
        switch self {
        case .none: return s
        case let .some(d): return d.scenario(s, replication: r)
        }
    }
}
