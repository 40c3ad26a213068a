import SimCore
import SimConfig
/// An error in setting up or running an experiment (a malformed `--param`, `--shard`,
/// design or results file). Its message is one line that names the offending text and
/// says what was expected, so a command line can print it as is.
public struct ExperimentError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The one-line explanation.
    public let message: String
    /// An error with the given one-line message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
