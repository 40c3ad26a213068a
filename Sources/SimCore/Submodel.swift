/// What a submodel (one mechanism of a model) must implement: its name, its cadence
/// and one step. The model's scheduler calls `step` on the days its cadence fires,
/// in the model's process order.
public protocol Submodel {
    associatedtype World
    /// A stable name; also the name of the submodel's random stream.
    static var name: String { get }
    /// How often it runs.
    var cadence: Cadence { get }
    /// Advance the world by one period of this submodel's cadence, ending on `day`.
    mutating func step(_ world: inout World, day: Int)
}
