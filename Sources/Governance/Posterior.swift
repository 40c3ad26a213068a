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
    /// One row per draw, values in `paths` order.
    public var rows: [[Double]]

    public init(file: String, paths: [String], rows: [[Double]]) {
        self.file = file
        self.paths = paths
        self.rows = rows
    }

    /// Read a draws file. Errors name the file, the line (row) and the column: an empty file,
    /// a header that is not a registered real or whole-number parameter (or repeats one), a
    /// row with the wrong number of fields, a field that is not a finite number, or a value
    /// outside the parameter's declared range.
    public static func load(_ path: String, registry: ParameterRegistry = GovernanceModel.schema.registry) throws -> ParameterDraws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, "cannot read the posterior file")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let head = lines.first, !head.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigError(file: path, line: 1, "empty; expected a header of parameter paths")
        }
        let paths = head.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for p in paths {
            guard let spec = registry[p] else {
                throw ConfigError(file: path, line: 1, path: p, "unknown parameter" + (registry.suggestion(for: p).map { " (did you mean '\($0)'?)" } ?? ""))
            }
            switch spec.kind {
            case .double, .int: break
            default: throw ConfigError(file: path, line: 1, path: p, "only numeric parameters can be drawn (this one is \(spec.expectation))")
            }
            guard seen.insert(p).inserted else { throw ConfigError(file: path, line: 1, path: p, "column repeated") }
        }
        var rows: [[Double]] = []
        var probe = ParameterSet(defaultsOf: registry)
        for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == paths.count else {
                throw ConfigError(file: path, line: i + 1, "row \(rows.count + 1): \(fields.count) fields, expected \(paths.count)")
            }
            var row: [Double] = []
            for (p, f) in zip(paths, fields) {
                guard let x = Double(f), x.isFinite else {
                    throw ConfigError(file: path, line: i + 1, path: p, "row \(rows.count + 1): '\(f)' is not a finite number")
                }
                do { try probe.set(p, number: x) } catch {
                    throw ConfigError(file: path, line: i + 1, path: p, "row \(rows.count + 1): \(error.message)")
                }
                row.append(x)
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw ConfigError(file: path, line: 2, "no draws; expected one row per parameter set") }
        return ParameterDraws(file: path, paths: paths, rows: rows)
    }

    /// `s` with draw `index` mod N's values set (the values were range-checked on loading).
    public func scenario(_ s: Scenario, draw index: Int) -> Scenario {
        var s = s
        let row = rows[((index % rows.count) + rows.count) % rows.count]
        for (p, x) in zip(paths, row) { try? s.parameters.set(p, number: x) }
        return s
    }

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
