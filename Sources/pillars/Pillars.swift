import ArgumentParser
import Governance
import SimCore
import SimConfig
import Experiments

@main
struct Pillars: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillars",
        abstract: "Agent-based simulation of the five pillars of community governance (共商 共建 共治 共享 共评).",
        discussion: """
        Estimates participation, funding gaps and satisfaction, with their uncertainty, for a \
        residential community under a scenario (YAML, see Scenarios/). Exit codes: 0 success, \
        1 a check failed (e.g. a case figure), 2 bad input or a failed write, 64 bad usage.

        Shell completion: pillars --generate-completion-script bash (or zsh, fish).
        """,
        version: GovernanceModel.version,
        subcommands: [NewCommand.self, RunCommand.self, CompareCommand.self, ReportCommand.self, SweepCommand.self, MergeCommand.self, SensitivityCommand.self, CalibrateCommand.self, CasesCommand.self, PatternsCommand.self, ValidateCommand.self, ShowCommand.self, ParamsCommand.self, OutputsCommand.self]
    )
}
