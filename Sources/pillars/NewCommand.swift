import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// `pillars new FILE`: a commented scenario for one's own community, extending the calibrated base.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented scenario for your own community, extending the calibrated base.",
        discussion: """
        The file extends the calibrated base (--base, default Scenarios/base.yaml: behavioural \
        parameters fitted to the published cases, see docs/CALIBRATION.md) with the five \
        pillars on and no incentive scheme — the baseline that `compare --scheme` adds schemes \
        to. The values you give are written as settings; every other line a planner may want to \
        change is written commented out with the base's value, its unit, range and source, so \
        it is inherited until you remove the '# '. The header says which baseline values were \
        given and which are the calibrated base's (the Chaoyang case's). The base is named by a \
        relative path when FILE is in the same tree, else by its absolute path. The file is \
        checked (loaded as `pillars validate` would) before it is written.

        Example:
          pillars new mine.yaml --households 1200 --tenant-share 0.4 --elderly-share 0.35 \\
              --floors 18 --budget 2000000
        """)

    @Argument(help: "The scenario file to write (YAML).") var file: String
    @Option(help: ArgumentHelp("Base scenario to extend (default: Scenarios/base.yaml here, else in the repository the pillars binary was built in).", valueName: "file")) var base: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Households (dwellings) in the community.", valueName: "n")) var households: Int?
    @Option(name: .customLong("tenant-share"), parsing: .unconditional, help: ArgumentHelp("Share of households that rent (0–1).", valueName: "share")) var tenantShare: Double?
    @Option(name: .customLong("young-share"), parsing: .unconditional, help: ArgumentHelp("Share of households whose head is 18–39 (0–1).", valueName: "share")) var youngShare: Double?
    @Option(name: .customLong("elderly-share"), parsing: .unconditional, help: ArgumentHelp("Share of households whose head is 60+ (0–1).", valueName: "share")) var elderlyShare: Double?
    @Option(name: .customLong("households-per-building"), parsing: .unconditional, help: ArgumentHelp("Households per building.", valueName: "n")) var perBuilding: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Floors per building.", valueName: "n")) var floors: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Grids (网格) the community is divided into.", valueName: "n")) var grids: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Baseline share of households satisfied, if known (0–1).", valueName: "share")) var satisfaction: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Baseline share of households taking part in community affairs, if known (0–1).", valueName: "share")) var participation: Double?
    @Option(name: .customLong("fee-collection"), parsing: .unconditional, help: ArgumentHelp("Baseline share paying the property fee, if known (0–1).", valueName: "share")) var feeCollection: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Annual fiscal budget for projects (yuan per year).", valueName: "yuan")) var budget: Double?
    @Option(help: ArgumentHelp("The scenario's name (default: the file name without .yaml).", valueName: "name")) var name: String?
    @Flag(help: "Replace FILE if it exists.") var overwrite = false

    /// The settings the flags give, as (key path, value, flag).
    private var given: [(path: String, value: String, flag: String)] {
        var g = [(String, String, String)]()
        func add(_ path: String, _ v: CustomStringConvertible?, _ flag: String) { if let v { g.append((path, v.description, flag)) } }
        add("population.households", households, "--households")
        add("population.tenant_share", tenantShare, "--tenant-share")
        add("population.young_share", youngShare, "--young-share")
        add("population.elderly_share", elderlyShare, "--elderly-share")
        add("population.households_per_building", perBuilding, "--households-per-building")
        add("population.floors", floors, "--floors")
        add("population.grids", grids, "--grids")
        add("baseline.satisfaction_rate", satisfaction, "--satisfaction")
        add("baseline.participation_rate", participation, "--participation")
        add("baseline.fee_collection_rate", feeCollection, "--fee-collection")
        add("construction.fiscal_budget_per_year", budget.map(plainNumber), "--budget")
        return g
    }

    func run() throws {
        let registry = GovernanceModel.schema.registry
        // Each flag's value is checked against its parameter's declaration first, so an error names the flag.
        for g in given {
            guard let spec = registry[g.path] else { continue }
            if case let .failure(e) = spec.parse(g.value, quoted: false) {
                throw fail("\(g.flag): \(g.path): \(e.message)")
            }
        }
        let baseURL = URL(fileURLWithPath: base ?? defaultBase()).standardizedFileURL
        guard FileManager.default.fileExists(atPath: baseURL.path) else {
            throw fail("--base: \(base ?? "Scenarios/base.yaml"): not found (here or in the repository pillars was built in); expected the path of the calibrated base scenario")
        }
        let baseScenario = try reportingErrors { try GovernanceModel.load(baseURL.path) }
        // The base and every file it extends: writing one of them would make the file extend itself.
        let chain = try reportingErrors { try ScenarioLoader(schema: GovernanceModel.schema).extendsChain(baseURL.path) }
        let target = try reportingErrors {
            try userFileTarget(file, option: "pillars new", inputs: chain, inputsAre: "the base or in its extends chain, so the file would extend itself",
                               overwrite: overwrite, createFolder: true)
        }
        let extends = extendsPath(from: target.deletingLastPathComponent(), to: baseURL)
        let text = scenarioText(base: baseScenario, extends: extends)
        // Checked as written (the relative extends resolves from the same folder) and again in place.
        try reportingErrors {
            try writeUserFile(text, to: target, shownAs: file) { _ = try GovernanceModel.load($0) }
        }
        print("\(file): written (extends \(extends)); check it with `pillars validate \(file)`")
    }

    /// The scenario file's text.
    func scenarioText(base: Scenario, extends: String) -> String {
        let registry = GovernanceModel.schema.registry
        let givenPaths = Dictionary(given.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        let baselinePaths = ["baseline.satisfaction_rate", "baseline.participation_rate", "baseline.fee_collection_rate"]
        var out = "# Your community: written by `pillars \(echoedCommandLine())` (pillars \(GovernanceModel.version)).\n"
        out += "# It extends \(ConfigError.oneLine(extends)): the calibrated base (behavioural parameters fitted to the published\n"
        out += "# cases, docs/CALIBRATION.md). Every setting not written here is inherited from it. A line\n"
        out += "# '# key: value' shows an inherited value; remove the '# ' to change it. Above each line: what\n"
        out += "# it means [unit; allowed range] and the source of its default.\n#\n"
        let givenBaseline = baselinePaths.filter { givenPaths[$0] != nil }
        let inherited = baselinePaths.filter { givenPaths[$0] == nil }
        out += "# Baseline (the community as it is, before any change):\n"
        out += "#   given: " + (givenBaseline.isEmpty ? "none" : givenBaseline.map { "\($0) = \(givenPaths[$0]!.value)" }.joined(separator: ", ")) + "\n"
        out += "#   the calibrated base's (\(base.name), the Chaoyang case's published values), not your community's: "
        out += (inherited.isEmpty ? "none" : inherited.map { "\($0) = \(base.parameters[$0].description)" }.joined(separator: ", ")) + "\n"
        if !inherited.isEmpty { out += "#   Set them (pillars new … --satisfaction/--participation/--fee-collection, or below) once you know them.\n" }
        out += "version: 1\nextends: \(yamlQuoted(extends))\n"
        out += "name: \(yamlQuoted(name ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension))\n"
        out += "description: \(yamlQuoted(descriptionText))\n"
        func line(_ path: String) {
            guard let spec = registry[path] else { return }
            let range = spec.kind == .bool ? "switch" : "\(spec.minText) … \(spec.maxText)"
            out += "\n# \(spec.summary) [\(spec.unit); \(range)]\n# source: \(spec.source)\n"
            if let g = givenPaths[path] {
                out += "\(path): \(g.value)   # given (\(g.flag))\n"
            } else {
                let from = base.origins[path].map { ($0.file as NSString).lastPathComponent } ?? "the default"
                out += "# \(path): \(base.parameters[path].description)   # inherited from \(from)\n"
            }
        }
        out += "\n# ── The community ──\n"
        for p in ["population.households", "population.tenant_share", "population.young_share", "population.elderly_share",
                  "population.households_per_building", "population.floors", "population.grids", "population.car_share",
                  "population.digital_young", "population.digital_middle", "population.digital_elderly",
                  "population.party_member_share"] { line(p) }
        out += "\n# ── Baseline, before any change ──\n"
        for p in baselinePaths { line(p) }
        out += "\n# ── Money and time ──\n"
        for p in ["construction.fiscal_budget_per_year", "simulation.days"] { line(p) }
        out += "\n# ── The five pillars on, no incentive scheme (as Scenarios/five-pillars.yaml with the points and\n"
        out += "# volunteer schemes off: Scenarios/schemes/_no-incentives.yaml). Add schemes with\n"
        out += "# `pillars compare THIS --scheme Scenarios/schemes/points-all.yaml …` rather than here. ──\n"
        for (p, v) in Self.pillars {
            let summary = registry[p]?.summary ?? ""
            out += "\(p): \(v)   # \(summary)\n"
        }
        return out
    }

    private var descriptionText: String {
        var parts = [String]()
        if let households { parts.append("\(households) households") }
        if let tenantShare { parts.append("\(plainNumber(tenantShare * 100)) % tenants") }
        if let floors { parts.append("\(floors)-storey buildings") }
        if let budget { parts.append("\(plainNumber(budget)) yuan a year") }
        return parts.isEmpty ? "My community, five pillars without incentive schemes" : "My community: " + parts.joined(separator: ", ")
    }

    /// The switches of the five-pillar mode without incentive schemes (Scenarios/five-pillars.yaml
    /// with points and volunteers off, as Scenarios/schemes/_no-incentives.yaml).
    static let pillars: [(String, String)] = [
        ("governance.photo.enabled", "true"), ("governance.whistle.enabled", "true"),
        ("deliberation.enabled", "true"), ("deliberation.compensation", "true"),
        ("construction.enabled", "true"), ("partners.enabled", "true"),
        ("sharing.enabled", "true"), ("evaluation.enabled", "true"),
        ("incentives.points.enabled", "false"), ("incentives.volunteers.enabled", "false"),
    ]
}

/// The `extends` value for a file in `dir`: relative to `dir` when both are in the same tree
/// (below the same top-level folder), else the base's absolute path.
func extendsPath(from dir: URL, to base: URL) -> String {
    let d = dir.resolvingSymlinksInPath().pathComponents, b = base.resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < min(d.count, b.count), d[common] == b[common] { common += 1 }
    // Only "/" (and perhaps /tmp, /work…) in common: an absolute path survives moving the file.
    guard common >= 3 else { return base.resolvingSymlinksInPath().path }
    return (Array(repeating: "..", count: d.count - common) + b[common...]).joined(separator: "/")
}

/// 2000000 rather than 2e+06; fractions as Swift writes them.
func plainNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
}

/// Scenarios/base.yaml in the current folder, else in a folder above the running binary (a
/// build in REPO/.build/…/pillars finds REPO/Scenarios/base.yaml).
func defaultBase() -> String {
    let here = "Scenarios/base.yaml"
    if FileManager.default.fileExists(atPath: here) { return here }
    let exe = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
    var dir = exe.resolvingSymlinksInPath().deletingLastPathComponent()
    while dir.pathComponents.count > 1 {
        let candidate = dir.appendingPathComponent(here)
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
        dir = dir.deletingLastPathComponent()
    }
    return here
}

/// A YAML double-quoted scalar: backslash, quote and every control character escaped.
func yamlQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case _ where u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) || u.value == 0x2028 || u.value == 0x2029:
            out += String(format: "\\u%04X", u.value)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
