import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

struct OutputsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outputs",
        abstract: "List every output with its unit, definition, group and district aggregation.",
        discussion: """
        The same table is written as outputs.csv into every results folder (run, compare, \
        sweep, merge, sensitivity, cases), so a table's columns can be read without the docs.
        """)
    @Flag(help: "CSV for scripts: name,unit,definition,group,topic,aggregation (outputs.csv is this output).") var csv = false
    @Flag(help: "A Markdown table (docs/OUTPUTS.md is this output).") var markdown = false
    func run() {
        if markdown {
            print(Output.dictionaryMarkdown, terminator: "")
            return
        }
        if csv {
            print(Output.dictionaryCSV, terminator: "")
            return
        }
        for o in Output.allCases {
            print("\(o.name)  [\(o.unit)]  \(o.topic), group \(o.group ?? "all"), district: \(o.aggregationName)")
            print("    \(o.definition)")
        }
    }
}

/// The dictionary of outputs as a file of the results folder `dir`: (text, dir/outputs.csv).
func outputsDictionaryFile(_ dir: URL) -> (text: String, url: URL) {
    (Output.dictionaryCSV, dir.appendingPathComponent("outputs.csv"))
}

/// Write outputs.csv (the dictionary of outputs) into the results folder `dir`.
func writeOutputsDictionary(_ dir: URL) throws {
    let f = outputsDictionaryFile(dir)
    try ResultsFiles.write(f.text, to: f.url)
}
