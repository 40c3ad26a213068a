import Foundation
import Governance
import Testing

/// The researchers' workflow (issue 15): the dictionary of outputs, design files in and out,
/// Morris screening, noise-aware Sobol and time series from sweeps, end to end with the binary.
@Suite("pillars research workflow")
struct ResearchWorkflowTests {
    typealias CLI = CLITests
    typealias X = ExperimentCLITests
    static let short = ["--set", "simulation.days=60", "--set", "population.households=120", "--quiet"]

    // MARK: outputs

    @Test func outputsCSVListsEveryOutputWithItsUnit() throws {
        let r = try CLI.pillars(["outputs", "--csv"])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "name,unit,definition,group,topic,aggregation")
        #expect(lines.count == 1 + Output.allCases.count)
        for o in Output.allCases {
            #expect(lines.contains { $0.hasPrefix("\(o.name),\(o.unit),") }, "\(o.name)")
            #expect(!o.unit.isEmpty && !o.definition.isEmpty, "\(o.name) has a unit and a definition")
        }
        #expect(lines.contains { $0.hasPrefix("funding_fiscal,yuan,") && $0.hasSuffix(",sum") })
        #expect(lines.contains { $0.hasPrefix("participation_rate_tenant,share,") && $0.contains(",tenant,") })
    }

    /// docs/OUTPUTS.md is generated from the code; regenerate with
    /// `swift run pillars outputs --markdown > docs/OUTPUTS.md` when an output changes.
    @Test func outputsDocIsUpToDate() throws {
        let r = try CLI.pillars(["outputs", "--markdown"])
        let doc = try String(contentsOf: CLI.root.appendingPathComponent("docs/OUTPUTS.md"), encoding: .utf8)
        #expect(r.out == doc, "docs/OUTPUTS.md is stale: run `pillars outputs --markdown > docs/OUTPUTS.md`")
    }

    @Test func everyResultsFolderHasTheDictionary() throws {
        let dict = try CLI.pillars(["outputs", "--csv"]).out
        let base = CLI.temp("dict")
        let runs: [[String]] = [
            ["run", "Scenarios/five-pillars.yaml", "--reps", "2"],
            ["compare", "Scenarios/traditional.yaml", "Scenarios/five-pillars.yaml", "--reps", "2"],
            ["sweep", "Scenarios/five-pillars.yaml", "--reps", "1", "--param", "governance.whistle.compliance=0.5,1"],
            ["sensitivity", "Scenarios/five-pillars.yaml", "--reps", "1", "--samples", "4", "--bootstrap", "0",
             "--param", "governance.whistle.compliance=0.5:1"],
        ]
        for (i, args) in runs.enumerated() {
            let out = base.appendingPathComponent("f\(i)")
            let r = try CLI.pillars(args + Self.short + ["--out", out.path])
            #expect(r.status == 0, "\(args[0]): \(r.err)")
            #expect(try X.text(out.appendingPathComponent("outputs.csv")) == dict, "\(args[0]) writes outputs.csv")
        }
    }
}
