import SimCore
import SimConfig
// Design files: a CSV of points from SALib, EMA Workbench or a script, read as a sweep's
// design (`pillars sweep --design-file`), and any design written back in the same format
// (`pillars sweep --dry-run` writes design.csv).
import Foundation

extension ParameterSpec {
    /// The declared range of a parameter a design can vary: a number's or whole number's
    /// range, [0, 1] for a switch; nil for a choice.
    public var numericRange: (lo: Double, hi: Double)? {
        switch kind {
        case let .double(lo, hi): (lo, hi)
        case let .int(lo, hi): (Double(lo), Double(hi))
        case .bool: (0, 1)
        case .choice: nil
        }
    }
}

extension Design {
    /// Read a design file: a header of parameter paths (each a number, whole number or
    /// switch of `registry`, each once), then one row per point with a finite number per
    /// column inside the parameter's declared range. Points keep the file's order (point i
    /// is data row i, from 0). Each parameter becomes a continuous range from the column's
    /// minimum to its maximum. Errors are one line naming the file, the line and point, the
    /// column and what was expected.
    public static func read(_ url: URL, registry: ParameterRegistry) throws -> Design {
        let file = url.path
        let table = try parseCSVFile(url)
        let header = table.header.map { $0.experimentTrimmed() }
        var seen = Set<String>()
        var specs = [(lo: Double, hi: Double, unit: String, spec: ParameterSpec)]()
        for (j, name) in header.enumerated() {
            let column = "\(file) line 1, column \(j + 1)"
            guard !name.isEmpty else {
                throw ExperimentError("\(column): empty name; expected a parameter path (the header names one parameter per column)")
            }
            guard let spec = registry[name] else {
                var m = "\(column): "
                if registry.isSection(name) {
                    m += "'\(name)' is a section, not a parameter"
                } else {
                    m += "unknown parameter '\(name)'"
                    if let s = registry.suggestion(for: name) { m += " (did you mean '\(s)'?)" }
                }
                throw ExperimentError(m + "; expected a header of parameter paths (`pillars params` lists them)")
            }
            guard let range = spec.numericRange else {
                throw ExperimentError("\(column): \(name) is a choice (\(spec.expectation)), not a number; set it with --set, or compare scenarios")
            }
            guard seen.insert(name).inserted else {
                throw ExperimentError("\(column): \(name) appears twice in the header (expected each parameter once)")
            }
            specs.append((range.lo, range.hi, spec.unit, spec))
        }
        guard !table.rows.isEmpty else {
            throw ExperimentError("\(file): no points, only a header; expected one row per design point")
        }
        var points = [[Double]]()
        points.reserveCapacity(table.rows.count)
        for (i, row) in table.rows.enumerated() {
            let at = "\(file) line \(row.line) (point \(i))"
            guard row.fields.count == header.count else {
                throw ExperimentError("\(at): \(row.fields.count) fields, expected \(header.count) (\(header.joined(separator: ",")))")
            }
            points.append(try row.fields.enumerated().map { j, text in
                let t = text.experimentTrimmed()
                let where_ = "\(at), column \(header[j])"
                guard let x = Double(t) else {
                    throw ExperimentError("\(where_): '\(t)' is not a number; expected a number in [\(formatNumber(specs[j].lo)), \(formatNumber(specs[j].hi))] (\(specs[j].unit))")
                }
                guard x.isFinite else { throw ExperimentError("\(where_): '\(t)' is not a finite number") }
                if let problem = specs[j].spec.cellProblem(Substring(t), value: x) { throw ExperimentError("\(where_): \(problem)") }
                guard x >= specs[j].lo, x <= specs[j].hi else {
                    throw ExperimentError("\(where_): \(t) is outside the declared range [\(formatNumber(specs[j].lo)), \(formatNumber(specs[j].hi))] (\(specs[j].unit))")
                }
                return x
            })
        }
        let parameters = try header.indices.map { j in
            let column = points.map { $0[j] }
            return try ParameterRange(name: header[j], lo: column.min()!, hi: column.max()!)
        }
        return Design(kind: .file, parameters: parameters, points: points)
    }

    /// The design with the coordinates of `whole` (one flag per parameter) rounded to whole
    /// numbers, as the model uses a whole-number parameter.
    public func rounding(_ whole: [Bool]) -> Design {
        Design(kind: kind, parameters: parameters, points: points.map { p in p.enumerated().map { whole[$0] ? $1.rounded() : $1 } })
    }

    /// The design as a design file: a header of the parameter paths, then one row per point
    /// with each value in `formatNumber`'s shortest round-trip form, so `read` gives back
    /// the identical points.
    public var csv: String {
        var out = parameters.map { csvField($0.name) }.joined(separator: ",") + "\n"
        for p in points { out += p.map(formatNumber).joined(separator: ",") + "\n" }
        return out
    }
}

extension SaltelliPlan {
    /// The plan of a design file in SALib's Saltelli layout without second-order indices
    /// (`SALib.sample.sobol.sample(problem, N, calc_second_order=False)`): for each of the N
    /// base rows j, k + 2 points A_j, AB_1j, …, AB_kj, B_j, where AB_ij is A_j with
    /// coordinate i taken from B_j. The layout is checked (a point that breaks it is named
    /// by its line in `file`) and the points are reordered into this plan's A, B, AB_0, …
    /// order, so `sobolIndices` analyses exactly the points SALib would.
    public init(salibLayout design: Design, file: String) throws {
        let k = design.parameters.count, block = k + 2
        let rows = design.points
        guard rows.count % block == 0, rows.count >= 2 * block else {
            throw ExperimentError("\(file): \(rows.count) points, expected N·(k + 2) = N·\(block) with N ≥ 2 (SALib's Saltelli layout without second order: A, AB_1…AB_\(k), B per base row)")
        }
        let n = rows.count / block
        var a = [[Double]](), b = [[Double]]()
        var ab = [[[Double]]](repeating: [], count: k)
        for j in 0..<n {
            let aj = rows[j * block], bj = rows[j * block + block - 1]
            for i in 0..<k {
                var expected = aj
                expected[i] = bj[i]
                let got = rows[j * block + 1 + i]
                guard got == expected else {
                    let line = j * block + 1 + i + 2
                    throw ExperimentError("\(file) line \(line) (point \(j * block + 1 + i)): expected A with \(design.parameters[i].name) from B (point \(j * block + 1 + i) of SALib's layout A, AB_1…AB_\(k), B), got another point; was the sample drawn with calc_second_order=False and written unchanged?")
                }
                ab[i].append(got)
            }
            a.append(aj)
            b.append(bj)
        }
        parameters = design.parameters
        self.n = n
        samples = a + b + ab.flatMap { $0 }
    }
}
