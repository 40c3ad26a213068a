import Foundation
import Testing
import SimCore
@testable import SimConfig
import TestSupport

/// The scenario loader: extends, overrides, and a clear error for every kind of bad input.
@Suite("Scenario configuration")
struct ConfigTests {
    static let registry = ParameterRegistry([
        .int("population.households", 600, 1, 1000, unit: "households", "n", source: "test"),
        .double("governance.whistle.compliance", 0.9, 0, 1, unit: "probability", "c", source: "test"),
        .bool("governance.whistle.enabled", false, "w", source: "test"),
        .choice("design.kind", "grid", ["grid", "lhs"], "k", source: "test"),
    ])
    static let loader = ScenarioLoader(schema: ScenarioSchema(registry: registry, versions: 1...1, sections: ["targets"]))

    func error(_ text: String, overrides: [String] = []) throws -> ConfigError {
        let dir = try fixtureFolder(["s.yaml": text])
        do {
            _ = try Self.loader.load(dir.appendingPathComponent("s.yaml").path, overrides: overrides)
        } catch let e as ConfigError {
            return e
        }
        Issue.record("expected an error for: \(text)")
        return ConfigError(file: "", "none")
    }

    @Test func defaultsFileValuesAndOverrides() throws {
        let dir = try fixtureFolder(["s.yaml": "version: 1\npopulation:\n  households: 120\n"])
        let s = try Self.loader.load(dir.appendingPathComponent("s.yaml").path, overrides: ["governance.whistle.enabled=true"])
        #expect(s.parameters.int("population.households") == 120)
        #expect(s.parameters.bool("governance.whistle.enabled"))
        #expect(s.parameters.double("governance.whistle.compliance") == 0.9)
        #expect(s.origins["population.households"]?.line == 3)
        #expect(s.origins["governance.whistle.enabled"] == .commandLine)
    }

    @Test func dottedKeysAndNestedKeysMeanTheSame() throws {
        let dir = try fixtureFolder(["a.yaml": "version: 1\ngovernance.whistle.compliance: 0.5\n",
                                  "b.yaml": "version: 1\ngovernance:\n  whistle:\n    compliance: 0.5\n"])
        let a = try Self.loader.load(dir.appendingPathComponent("a.yaml").path)
        let b = try Self.loader.load(dir.appendingPathComponent("b.yaml").path)
        #expect(a.parameters == b.parameters)
    }

    @Test func extendsMergesDeeplyChildWins() throws {
        let dir = try fixtureFolder([
            "base.yaml": "version: 1\npopulation:\n  households: 50\ngovernance:\n  whistle:\n    compliance: 0.2\n",
            "child.yaml": "version: 1\nextends: base.yaml\ngovernance:\n  whistle:\n    enabled: true\n",
        ])
        let s = try Self.loader.load(dir.appendingPathComponent("child.yaml").path)
        #expect(s.parameters.int("population.households") == 50)
        #expect(s.parameters.double("governance.whistle.compliance") == 0.2)
        #expect(s.parameters.bool("governance.whistle.enabled"))
    }

    @Test func timelineChangesApplyFromTheirDay() throws {
        let dir = try fixtureFolder(["s.yaml": """
        version: 1
        timeline:
          - day: 10
            note: intervention
            set:
              governance:
                whistle.enabled: true
        """])
        let s = try Self.loader.load(dir.appendingPathComponent("s.yaml").path)
        #expect(s.timeline.count == 1)
        #expect(!s.parameters(onDay: 9).bool("governance.whistle.enabled"))
        #expect(s.parameters(onDay: 10).bool("governance.whistle.enabled"))
    }

    @Test func showRoundTrips() throws {
        let dir = try fixtureFolder(["s.yaml": "version: 1\nname: \"odd: name\"\ndesign:\n  kind: lhs\ntimeline:\n  - day: 3\n    set:\n      population.households: 7\n"])
        let s = try Self.loader.load(dir.appendingPathComponent("s.yaml").path)
        let text = ScenarioEmitter.yaml(s)
        let again = try Self.loader.build(ConfigNode.parse(yaml: text, file: "shown"), file: "shown")
        #expect(again.parameters == s.parameters)
        #expect(again.timeline == s.timeline)
        #expect(again.name == "odd: name")
    }

    // Each bad input: the message names the file, the key path and what was expected.
    @Test func emptyFile() throws {
        let e = try error("   \n")
        #expect(e.description.contains("s.yaml") && e.message.contains("empty"))
    }
    @Test func notYAML() throws {
        let e = try error("version: 1\n  bad: [\n")
        #expect(e.message.contains("not valid YAML") && e.line != nil)
    }
    @Test func notAMapping() throws {
        #expect(try error("- 1\n- 2\n").message.contains("expected a mapping"))
        #expect(try error("just text\n").message.contains("expected a mapping"))
    }
    @Test func unknownKeySuggestsTheNearest() throws {
        let e = try error("version: 1\ngovernance:\n  whistle:\n    enabld: true\n")
        #expect(e.path == "governance.whistle.enabld")
        #expect(e.message.contains("unknown key") && e.message.contains("governance.whistle.enabled"))
        #expect(e.line == 4)
    }
    @Test func wrongTypes() throws {
        #expect(try error("version: 1\npopulation:\n  households: many\n").message.contains("expected a whole number"))
        #expect(try error("version: 1\ngovernance.whistle.enabled: 3\n").message.contains("true or false"))
        #expect(try error("version: 1\npopulation: 5\n").message.contains("expected a mapping"))
        #expect(try error("version: 1\npopulation:\n  households: [1, 2]\n").message.contains("got a list"))
        #expect(try error("version: 1\ngovernance.whistle.compliance: \"0.5\"\n").message.contains("string"))
        #expect(try error("version: 1\ndesign.kind: sobol\n").message.contains("one of grid, lhs"))
    }
    @Test func outOfRangeValues() throws {
        let p = try error("version: 1\ngovernance.whistle.compliance: 1.3\n")
        #expect(p.path == "governance.whistle.compliance" && p.message.contains("[0, 1]") && p.message.contains("out of range"))
        #expect(try error("version: 1\npopulation.households: -5\n").message.contains("out of range"))
        #expect(try error("version: 1\npopulation.households: 2.5\n").message.contains("whole number"))
        #expect(try error("version: 1\ngovernance.whistle.compliance: .nan\n").message.contains("not a finite number"))
        #expect(try error("version: 1\ngovernance.whistle.compliance: .inf\n").message.contains("not a finite number"))
        #expect(try error("version: 1\npopulation.households: 1e300\n").message.contains("out of range"))
    }
    @Test func missingFile() throws {
        do {
            _ = try Self.loader.load("/nonexistent/x.yaml")
            Issue.record("no error")
        } catch let e as ConfigError {
            #expect(e.description == "/nonexistent/x.yaml: no such file")
        }
    }
    @Test func missingAndCyclicExtends() throws {
        #expect(try error("version: 1\nextends: nowhere.yaml\n").message.contains("not found"))
        let dir = try fixtureFolder(["a.yaml": "version: 1\nextends: b.yaml\n", "b.yaml": "version: 1\nextends: a.yaml\n"])
        do {
            _ = try Self.loader.load(dir.appendingPathComponent("a.yaml").path)
            Issue.record("no error")
        } catch let e as ConfigError {
            #expect(e.message.contains("cycle") && e.path == "extends")
        }
        #expect(try error("version: 1\nextends: s.yaml\n").message.contains("cycle"))
    }
    @Test func versions() throws {
        #expect(try error("population.households: 5\n").message.contains("missing"))
        #expect(try error("version: 7\n").message.contains("unsupported version 7"))
        #expect(try error("version: one\n").message.contains("whole number"))
    }
    @Test func absurdNestingAndAliases() throws {
        let deep = "version: 1\nx: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"
        #expect(try error(deep).message.contains("nested deeper"))
        // Aliases expand; a "billion laughs" document stops at the node limit instead of filling memory.
        var laughs = "version: 1\nl0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        for i in 1...7 { laughs += "l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(try error(laughs).message.contains("YAML nodes"))
    }
    @Test func duplicateKeys() throws {
        let e = try error("version: 1\npopulation:\n  households: 5\n  households: 6\n")
        #expect(e.message.contains("duplicate"))
    }
    @Test func badOverrides() throws {
        #expect(try error("version: 1\n", overrides: ["population.households"]).message.contains("key.path=value"))
        #expect(try error("version: 1\n", overrides: ["population.households="]).message.contains("value is empty"))
        #expect(try error("version: 1\n", overrides: ["population.housholds=5"]).message.contains("did you mean"))
        let e = try error("version: 1\n", overrides: ["population.households=0"])
        #expect(e.file == "--set" && e.message.contains("out of range"))
    }
    @Test func badTimelines() throws {
        #expect(try error("version: 1\ntimeline: 5\n").message.contains("list"))
        #expect(try error("version: 1\ntimeline:\n  - set: {population.households: 5}\n").path == "timeline[0].day")
        #expect(try error("version: 1\ntimeline:\n  - day: -1\n    set: {population.households: 5}\n").message.contains("whole number in [0,"))
        let bad = try error("version: 1\ntimeline:\n  - day: 1\n    set:\n      population.households: 0\n")
        #expect(bad.path == "timeline[0].set.population.households")
        #expect(try error("version: 1\ntimeline:\n  - day: 5\n    set: {population.households: 5}\n  - day: 2\n    set: {population.households: 5}\n").message.contains("order"))
    }
    @Test func nonUTF8() throws {
        let f = temporaryFolder("cfg").appendingPathComponent("bin.yaml")
        try Data([0x76, 0x65, 0xFF, 0xFE, 0x00, 0x81]).write(to: f)
        do { _ = try Self.loader.load(f.path); Issue.record("no error") } catch let e as ConfigError {
            #expect(e.message.contains("UTF-8"))
        }
    }
}
