import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

@Suite("Population")
struct PopulationTests {
    @Test func compositionFollowsTheScenario() throws {
        let s = try scenario("population:\n  households: 3000\n  tenant_share: 0.4\n  young_share: 0.2\n  elderly_share: 0.5\n  households_per_building: 24\n  floors: 6\n  grids: 5\n")
        let c = Community(settings: Settings(s.parameters), streams: StreamSet(replicationSeed: 1))
        #expect(c.hh.count == 3000)
        let tenants = Double(c.hh.tenure.filter { $0 == 1 }.count) / 3000
        let elderly = Double(c.hh.age.filter { $0 == 2 }.count) / 3000
        let young = Double(c.hh.age.filter { $0 == 0 }.count) / 3000
        #expect(abs(tenants - 0.4) < 0.03 && abs(elderly - 0.5) < 0.03 && abs(young - 0.2) < 0.03)
        #expect(c.hh.buildingCount == 125)
        #expect(Set(c.hh.floor) == Set(1...6))
        #expect(Set(c.hh.grid).count == 5)
    }

    @Test func tiesAreSymmetricAndMostlyInTheBuilding() throws {
        let c = Community(settings: Settings(try scenario().parameters), streams: StreamSet(replicationSeed: 2))
        var edges = Set<[Int32]>()
        var sameBuilding = 0, total = 0
        for h in 0..<c.hh.count {
            for k in Int(c.hh.tieStart[h])..<Int(c.hh.tieStart[h + 1]) {
                let j = c.hh.tieTarget[k]
                #expect(Int(j) != h)
                edges.insert([Int32(h), j])
                total += 1
                if c.hh.building[Int(j)] == c.hh.building[h] { sameBuilding += 1 }
            }
        }
        for e in edges { #expect(edges.contains([e[1], e[0]])) }
        #expect(Double(sameBuilding) / Double(total) > 0.6)
    }

    @Test func baselineSatisfactionMatchesTheInput() throws {
        for rate in [0.3, 0.58, 0.9] {
            let s = try scenario("population.households: 20000\nbaseline.satisfaction_rate: \(rate)\n")
            let c = Community(settings: Settings(s.parameters), streams: StreamSet(replicationSeed: 3))
            let satisfied = Double((0..<c.hh.count).filter { c.satisfaction($0) >= 0.6 }.count) / Double(c.hh.count)
            #expect(abs(satisfied - rate) < 0.015, "rate \(rate): got \(satisfied)")
        }
    }

    @Test func crossFieldChecks() throws {
        #expect(throws: ConfigError.self) { try scenario("population:\n  young_share: 0.6\n  elderly_share: 0.6\n") }
        #expect(throws: ConfigError.self) { try scenario("population:\n  motivation_mean: 0.9\n  motivation_sd: 0.4\n") }
    }
}
