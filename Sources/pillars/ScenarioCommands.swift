import ArgumentParser
import Foundation
import Governance
import SimCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a scenario file; print nothing but 'ok' when it is valid.")
    @Argument(help: "Scenario file(s) (YAML).") var scenarios: [String]
    @Option(name: .customLong("set"), help: "Override a parameter: key.path=value (repeatable).") var overrides: [String] = []
    func run() throws {
        for s in scenarios {
            _ = try reportingErrors { try GovernanceModel.load(s, overrides: overrides) }
            print("\(s): ok")
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the effective scenario: extends merged, overrides applied, defaults filled in.")
    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(name: .customLong("set"), help: "Override a parameter: key.path=value (repeatable).") var overrides: [String] = []
    func run() throws {
        let sc = try reportingErrors { try GovernanceModel.load(scenario, overrides: overrides) }
        print(ScenarioEmitter.yaml(sc), terminator: "")
    }
}

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params", abstract: "List every parameter with its unit, range, default and source.")
    @Flag(help: "CSV for scripts: name,unit,min,max,default,source.") var csv = false
    func run() {
        let specs = GovernanceModel.schema.registry.specs
        if csv {
            print("name,unit,min,max,default,source")
            for s in specs {
                print([s.path, s.unit, s.minText, s.maxText, s.defaultValue.description, s.source].map(csvField).joined(separator: ","))
            }
            return
        }
        for s in specs {
            print("\(s.path)  [\(s.unit)]  range \(s.minText)…\(s.maxText)  default \(s.defaultValue)")
            print("    \(s.summary)")
            print("    source: \(s.source)")
        }
    }
}
