import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// `pillars report DIR`: one self-contained HTML file for a committee, from a `compare` or `run` folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write DIR/report.html for a compare or run results folder: one self-contained file for a committee.",
        discussion: """
        The report says what was compared (the community, and each alternative's settings that \
        differ from the baseline as key paths and values), gives the decision table \
        (decision.csv), a forest plot of the effects with their 95 % intervals, cost against \
        effect, P(best), participation over time by group when the folder has a time series \
        (timeseries.csv of `pillars run`; compare keeps none, and the report says so), and the \
        caveats: what the calibration rests on, the version, seeds and command. Charts are \
        inline SVG drawn by pillars itself; the file fetches nothing and prints cleanly.

        Example:
          pillars report Results/runs/compare-mine-vs-points-all-20261201-100000
        """)

    @Argument(help: "A results folder written by `pillars compare` or `pillars run`.") var dir: String

    func run() throws {
        let folder = URL(fileURLWithPath: dir)
        // Held while the folder is read and the report written: a command rewriting the folder waits.
        let lock = try reportingErrors { try FolderLock(folder) }
        defer { lock.release() }
        let builder = ReportBuilder(folder: folder)
        let html = try reportingErrors { try builder.html() }
        for n in builder.notes.lines { writeStandardError("note: \(ConfigError.oneLine(n))\n") }
        let out = folder.appendingPathComponent("report.html")
        // report.html as any user-named file: never through a link, a device or a FIFO; read back as written.
        try reportingErrors {
            let target = try userFileTarget(out.path, option: "report", overwrite: true)
            try writeUserFile(html, to: target, shownAs: out.path, check: readsBack(html))
        }
        print("report: \(out.path)")
    }
}

/// Reads a results folder and lays out the report.
struct ReportBuilder {
    let folder: URL

    struct Problem: Error, CustomStringConvertible { var description: String }

    func read(_ name: String) -> String? { try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }

    /// Notes on rows of the folder's files that the report could not use (one line each,
    /// naming the file and line), printed on stderr and listed in the report.
    final class Notes { var lines: [String] = [] }
    let notes = Notes()

    init(folder: URL) { self.folder = folder }

    func note(_ name: String, line: Int, _ what: String) {
        notes.lines.append("\(folder.appendingPathComponent(name).path) line \(line): \(what)")
    }

    /// A CSV file as rows of fields (quoted fields with commas and doubled quotes understood),
    /// each with the 1-based line it starts on. A line ending CRLF is read as if it ended LF
    /// (the `\r` never reaches a field), with one note naming the first such line.
    func csvLines(_ name: String) -> [(fields: [String], line: Int)]? {
        guard let text = read(name) else { return nil }
        var rows = [(fields: [String], line: Int)](), field = "", row = [String](), quoted = false
        var line = 1, start = 1, crlf: Int? = nil
        var it = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { if c == "\n" { line += 1 }; field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r", let n = it.next() {
                if n == "\n" { crlf = crlf ?? line; pending = n } else { field.unicodeScalars.append(c); pending = n }
            }
            else if c == "\n" { row.append(field); rows.append((row, start)); row = []; field = ""; line += 1; start = line }
            else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append((row, start)) }
        if let crlf { note(name, line: crlf, "lines end CRLF (a Windows line end); read as LF") }
        return rows
    }

    func html() throws -> String {
        guard let mtext = read("manifest.json"), let mdata = mtext.data(using: .utf8),
              let manifest = (try? JSONSerialization.jsonObject(with: mdata)) as? [String: Any] else {
            throw Problem(description: "\(folder.appendingPathComponent("manifest.json").path): missing or not JSON; expected a results folder of pillars compare or pillars run")
        }
        try checkHasView(manifest)
        let compared = manifest["compared"] as? [[String: Any]]
        var body = ""
        let esc = SVG.esc
        let title: String
        if let compared, !compared.isEmpty {
            title = "Comparison: " + compared.map { ($0["label"] as? String) ?? "?" }.joined(separator: " · ")
            body += comparedSection(compared)
            body += try decisionSections(manifest)
        } else {
            title = "Run: " + ((manifest["scenario_name"] as? String) ?? "?")
            body += "<h2>What was run</h2>" + communityText(manifest["scenario"] as? String ?? "")
            body += summarySection()
        }
        body += timeSeriesSection()
        body += caveats(manifest)
        if !notes.lines.isEmpty {
            body += "<h2>Rows not used</h2><ul>" + notes.lines.map { "<li class=\"note\">\(esc($0))</li>" }.joined() + "</ul>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title))</title>
        <style>
        body { font-family: sans-serif; max-width: 980px; margin: 1.5em auto; padding: 0 1em; color: #111; line-height: 1.4; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
        table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; vertical-align: top; }
        th:first-child, td:first-child { text-align: left; }
        code { font-size: 0.9em; } .note { color: #444; font-size: 0.9em; } svg.chart { max-width: 100%; height: auto; display: block; }
        @media print {
          body { max-width: none; margin: 0; font-size: 10.5pt; color: #000; }
          h2 { break-after: avoid; } figure, table, svg.chart { break-inside: avoid; }
          a { color: #000; text-decoration: none; }
        }
        </style></head><body>
        <h1>\(esc(title))</h1>
        <p class="note">Written by <code>pillars report</code> from <code>\(esc(folder.path))</code>. Simulated outcomes of a model, with their uncertainty — see the caveats at the end.</p>
        \(body)
        </body></html>

        """
    }

    /// Refuse a folder the report has no view for: a sweep, a merge of shards, a sensitivity
    /// analysis or a cases run hold many scenarios or design points, and averaging them as if
    /// they were one run would be silently wrong.
    func checkHasView(_ manifest: [String: Any]) throws {
        let verb = manifest["verb"] as? String
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        let foreign = ["sweep.csv", "design.json", "sensitivity.csv", "samples.csv", "cases.csv"].filter(present.contains)
        let kind: String?
        switch verb {
        case "compare": kind = nil
        case nil: kind = foreign.isEmpty ? nil : "holds \(foreign.joined(separator: ", "))"
        case let v?: kind = "is a \(v) folder"
        }
        if let kind {
            throw Problem(description: "\(folder.path): \(kind), not a run or a comparison; report draws only the folder of one `pillars run` or `pillars compare` (a sweep's or sensitivity's results are in its CSV files)")
        }
        if verb == nil, !present.contains("summary.csv") {
            throw Problem(description: "\(folder.appendingPathComponent("summary.csv").path): missing; expected the results folder of pillars run or pillars compare")
        }
    }

    /// The effective scenario (YAML as the manifest holds it) flattened to key path → value.
    func flatten(_ yaml: String) -> [(String, String)] {
        guard let node = try? ConfigNode.parse(yaml: yaml, file: "manifest") else { return [] }
        var out = [(String, String)]()
        func walk(_ n: ConfigNode, _ path: String) {
            switch n {
            case let .mapping(pairs, _): for (k, v) in pairs { walk(v, path.isEmpty ? k : path + "." + k) }
            case let .scalar(s, _, _): out.append((path, s))
            default: out.append((path, "(a list)"))
            }
        }
        walk(node, "")
        return out
    }

    func communityText(_ yaml: String) -> String {
        let flat = Dictionary(flatten(yaml), uniquingKeysWith: { $1 })
        let keys = ["population.households", "population.tenant_share", "population.young_share", "population.elderly_share",
                    "population.households_per_building", "population.floors", "population.grids",
                    "baseline.satisfaction_rate", "baseline.participation_rate", "baseline.fee_collection_rate",
                    "construction.fiscal_budget_per_year", "simulation.days"]
        var t = "<table><tr><th>setting</th><th>value</th></tr>"
        for k in keys { if let v = flat[k] { t += "<tr><td><code>\(k)</code></td><td>\(SVG.esc(v))</td></tr>" } }
        return t + "</table>"
    }

    func comparedSection(_ compared: [[String: Any]]) -> String {
        let base = compared[0]
        var o = "<h2>What was compared</h2>"
        o += "<p>The baseline community is <b>\(SVG.esc(base["label"] as? String ?? ""))</b> (<code>\(SVG.esc(base["scenario_file"] as? String ?? ""))</code>):</p>"
        o += communityText(base["scenario"] as? String ?? "")
        let b = Dictionary(flatten(base["scenario"] as? String ?? ""), uniquingKeysWith: { $1 })
        o += "<p>Each alternative differs from the baseline in these settings (key path: baseline → alternative):</p><table><tr><th>alternative</th><th>settings that differ</th></tr>"
        for alt in compared.dropFirst() {
            let a = flatten(alt["scenario"] as? String ?? "")
            let diffs = a.filter { k, v in k != "name" && k != "description" && b[k] != v }
                .map { k, v in "<code>\(SVG.esc(k))</code>: \(SVG.esc(b[k] ?? "–")) → <b>\(SVG.esc(v))</b>" }
            let source = (alt["scheme_overlay"] as? String).map { " <span class=\"note\">(scheme overlay <code>\(SVG.esc($0))</code>)</span>" } ?? ""
            o += "<tr><td>\(SVG.esc(alt["label"] as? String ?? ""))\(source)</td><td style=\"text-align:left\">\(diffs.isEmpty ? "none" : diffs.joined(separator: "<br>"))</td></tr>"
        }
        return o + "</table>"
    }

    func decisionSections(_ manifest: [String: Any]) throws -> String {
        guard let lines = csvLines("decision.csv"), let head = lines.first?.fields else {
            return "<h2>Decision</h2><p>This folder has no decision.csv (a comparison from an older pillars); rerun <code>pillars compare</code>.</p>"
        }
        let d = manifest["decision"] as? [String: Any] ?? [:]
        let objective = d["objective"] as? String ?? "participation_rate"
        let share = Output(rawValue: objective)?.isShare ?? false
        func col(_ name: String) -> Int? { head.firstIndex(of: name) }
        func num(_ r: [String], _ name: String) -> Double? { col(name).flatMap { $0 < r.count ? Double(r[$0]) : nil } }
        var data = [[String]]()
        for (r, line) in lines.dropFirst() {
            if r.count == head.count { data.append(r) } else { note("decision.csv", line: line, "\(r.count) fields, expected \(head.count); row skipped") }
        }
        let scale = share ? 100.0 : 1.0, unit = share ? "percentage points" : objective
        var o = "<h2>Decision</h2>"
        o += "<p>Objective: <code>\(SVG.esc(objective))</code>\((d["minimize"] as? Bool) == true ? " (lower is better)" : ""); cost: <code>\(SVG.esc(d["cost"] as? String ?? "incentive_cost"))</code> per year (yuan per year over the summary window, the last simulation.summary_days)\(d["budget_per_year"].map { "; budget \(SVG.esc("\($0)")) yuan per year" } ?? ""). "
        o += "Replications: \(SVG.esc("\(d["replications"] ?? manifest["replications"] ?? "?")")) (\(SVG.esc(d["replications_stopped"] as? String ?? "")))."
        o += "</p><table><tr><th>scenario</th><th>P(best)</th><th>Δ objective (95 %)</th><th>Δ cost per year, yuan (95 %)</th><th>yuan per extra participating household per year (95 %)</th><th>annual cost (upper 95 %)</th><th>fits budget</th></tr>"
        func interval(_ r: [String], _ name: String, _ s: Double, _ fmt: String) -> String {
            guard let m = num(r, name), let lo = num(r, name + "_lo"), let hi = num(r, name + "_hi") else { return "" }
            return String(format: "\(fmt) [\(fmt), \(fmt)]", m * s, lo * s, hi * s)
        }
        for r in data {
            let isBase = num(r, "objective_diff") == nil
            let per = col("yuan_per_extra_participant").map { r[$0] } == "undefined" ? "undefined (the effect's interval includes 0)" : interval(r, "yuan_per_extra_participant", 1, "%.1f")
            o += "<tr><td>\(SVG.esc(r[0]))\(isBase ? " (baseline)" : "")</td><td>\(String(format: "%.3f", num(r, "p_best") ?? .nan))</td>"
            o += "<td>\(isBase ? "" : interval(r, "objective_diff", scale, "%+.2f"))</td><td>\(isBase ? "" : interval(r, "annual_cost_diff", 1, "%+.0f"))</td>"
            o += "<td>\(isBase ? "" : per)</td><td>\(String(format: "%.0f (%.0f)", num(r, "annual_cost") ?? .nan, num(r, "annual_cost_hi") ?? .nan))</td>"
            o += "<td>\(SVG.esc(col("fits_budget").map { r[$0] } ?? ""))</td></tr>"
        }
        o += "</table><p class=\"note\">Intervals: \(SVG.esc(d["method"] as? String ?? decisionMethod)).</p>"
        let alts = data.filter { num($0, "objective_diff") != nil }
        let effects = alts.map { (label: $0[0], mean: num($0, "objective_diff")! * scale, lo: (num($0, "objective_diff_lo") ?? .nan) * scale, hi: (num($0, "objective_diff_hi") ?? .nan) * scale) }
        o += "<h2>Effects against the baseline</h2><figure>" + SVG.forest(effects, axis: "Δ \(objective) (\(unit)), 95 % interval", title: "Effects with 95 % intervals") + "</figure>"
        let pts = alts.compactMap { r -> (label: String, x: Double, xlo: Double, xhi: Double, y: Double, ylo: Double, yhi: Double)? in
            guard let x = num(r, "objective_diff"), let y = num(r, "annual_cost_diff") else { return nil }
            return (r[0], x * scale, (num(r, "objective_diff_lo") ?? x) * scale, (num(r, "objective_diff_hi") ?? x) * scale,
                    y, num(r, "annual_cost_diff_lo") ?? y, num(r, "annual_cost_diff_hi") ?? y)
        }
        o += "<h2>Cost against effect</h2><figure>" + SVG.scatter(pts, xLabel: "Δ \(objective) (\(unit))", yLabel: "Δ cost per year (yuan)", title: "Cost against effect") + "</figure>"
        o += "<h2>Which is most likely best</h2><p>P(best): the share of replications in which each scenario has the best objective (ties split evenly; the shares sum to 1).</p><figure>"
        o += SVG.bars(data.map { (label: $0[0], value: num($0, "p_best") ?? 0) }, title: "P(best)") + "</figure>"
        return o
    }

    func summarySection() -> String {
        guard let rows = csvLines("summary.csv"), let head = rows.first?.fields, let mi = head.firstIndex(of: "metric") else {
            return "<h2>Outcomes</h2><p>No summary.csv in this folder.</p>"
        }
        let cols = ["mean", "lo95", "hi95", "n"].compactMap { c in head.firstIndex(of: c).map { (c, $0) } }
        var o = "<h2>Outcomes</h2><table><tr><th>outcome</th>" + cols.map { "<th>\($0.0)</th>" }.joined() + "</tr>"
        for (r, line) in rows.dropFirst() {
            guard r.count == head.count else { note("summary.csv", line: line, "\(r.count) fields, expected \(head.count); row skipped"); continue }
            o += "<tr><td><code>\(SVG.esc(r[mi]))</code></td>" + cols.map { c in "<td>\(Double(r[c.1]).map { String(format: "%.4g", $0) } ?? SVG.esc(r[c.1]))</td>" }.joined() + "</tr>"
        }
        return o + "</table>"
    }

    func timeSeriesSection() -> String {
        var o = "<h2>Participation over time, by group</h2>"
        guard let rows = csvLines("timeseries.csv"), let head = rows.first?.fields, let di = head.firstIndex(of: "day") else {
            return o + "<p>This folder has no time series (timeseries.csv): <code>pillars compare</code> keeps none. Run one scenario with <code>pillars run</code> and report on its folder to see participation over time by group.</p>"
        }
        let groups = ["participation_rate", "participation_rate_owner", "participation_rate_tenant", "participation_rate_young",
                      "participation_rate_middle", "participation_rate_elderly"].compactMap { g in head.firstIndex(of: g).map { (g, $0) } }
        // Days are whole numbers (the model observes on whole days): a row whose day is not
        // one, or is not finite, is skipped with a note (NaN keys never meet, near-equal keys
        // such as 10000 and 10000.000000000002 would make two points of one day).
        var usable = [(day: Int, fields: [String])]()
        for (r, line) in rows.dropFirst() {
            guard r.count == head.count else {
                note("timeseries.csv", line: line, "\(r.count) fields, expected \(head.count); row skipped"); continue
            }
            guard let d = Double(r[di]), d.isFinite, d == d.rounded(), abs(d) <= 1e9 else {
                note("timeseries.csv", line: line, "day '\(r[di].prefix(40))' is not a whole number of days; row skipped"); continue
            }
            usable.append((Int(d), r))
        }
        var series = [(name: String, points: [(Double, Double)])]()
        for (g, i) in groups {
            var sum = [Int: (Double, Int)]()
            for (d, r) in usable {
                guard let v = Double(r[i]), v.isFinite else { continue }
                let s = sum[d] ?? (0, 0)
                sum[d] = (s.0 + v, s.1 + 1)
            }
            let name = g == "participation_rate" ? "all" : String(g.dropFirst("participation_rate_".count))
            series.append((name, sum.sorted { $0.key < $1.key }.map { (Double($0.key), $0.value.0 / Double($0.value.1)) }))
        }
        o += "<p>Mean over replications of the share of households (of each group) with at least one act in the trailing window.</p><figure>"
        return o + SVG.lines(series, xLabel: "day", yLabel: "participation rate", title: "Participation over time by group") + "</figure>"
    }

    func caveats(_ m: [String: Any]) -> String {
        var o = "<h2>Caveats</h2><ul>"
        o += "<li>These are outcomes of a simulation model (docs/ODD.md), not forecasts. Its behavioural parameters were calibrated (Scenarios/calibrated.yaml, docs/CALIBRATION.md) to the published figures of five cases (Beijing whistle-and-report, Chengdu community partners, Hangzhou sharing community, Shanghai deliberation hall, Shenzhen satisfaction survey); many other parameters are rough priors (docs/PARAMETERS.md names each one's source). Baseline values not measured in your community are the Chaoyang case's.</li>"
        o += "<li>Costs are the model's incentive costs (yuan paid for points, perks, visits, titles); staff time and payer-specific costs are not booked yet.</li>"
        o += "<li>Differences are paired: replication r of every scenario uses the same seed (common random numbers), so the noise they share cancels.</li>"
        o += "<li>pillars \(SVG.esc("\(m["pillars_version"] ?? "?")")); master seed \(SVG.esc("\(m["master_seed"] ?? "?")")); \(SVG.esc("\(m["replications"] ?? "?")")) replications; started \(SVG.esc("\(m["started"] ?? "?")")).</li>"
        let cmd = (m["command_line"] as? [String]).map { $0.joined(separator: " ") } ?? "?"
        o += "<li>Command: <code>\(SVG.esc(cmd))</code></li>"
        if let compared = m["compared"] as? [[String: Any]] {
            o += "<li>Scenario hashes: " + compared.map { "\(SVG.esc($0["label"] as? String ?? "")) <code>\(SVG.esc($0["scenario_hash"] as? String ?? ""))</code>" }.joined(separator: ", ") + "</li>"
        } else if let h = m["scenario_hash"] as? String {
            o += "<li>Scenario hash <code>\(SVG.esc(h))</code></li>"
        }
        return o + "</ul>"
    }
}
