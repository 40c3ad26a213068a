import SimCore

extension District {
    /// Every community's outputs at `day`, in community order, observed on `jobs` threads
    /// (each observation reads and updates only its own community, so the rows do not depend
    /// on the number of threads). In a city of thousands of communities, observing them one
    /// after the other would leave all but one core idle on every observation day.
    static func observe(_ cs: inout [Community], day: Int, jobs: Int) -> [[Double]] {
        var rows = [[Double]](repeating: [], count: cs.count)
        rows.withUnsafeMutableBufferPointer { out in
            Parallel.mutateEach(&cs, jobs: jobs) { c, i in out[i] = c.observe(day: day) }
        }
        return rows
    }
}
