import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("ParameterRange parsing")
struct ParameterRangeTests {
    @Test func parsesRangeStepAndList() throws {
        let r = try ParameterRange.parse("deliberation.quorum=0.1:0.9")
        #expect(r.name == "deliberation.quorum" && r.lo == 0.1 && r.hi == 0.9 && r.step == nil && r.values == nil)
        let s = try ParameterRange.parse(" a.b = 0 : 1 : 0.25 ")
        #expect(s.name == "a.b" && s.step == 0.25)
        #expect(s.discreteValues == [0, 0.25, 0.5, 0.75, 1])
        let l = try ParameterRange.parse("x=3,1,2")
        #expect(l.values == [3, 1, 2] && l.lo == 1 && l.hi == 3)
        let one = try ParameterRange.parse("x=5")
        #expect(one.values == [5])
    }

    @Test func latticeToleratesBinaryRounding() throws {
        let r = try ParameterRange.parse("p=0:0.3:0.1")
        #expect(r.discreteValues == [0, 0.1, 0.2, 0.3])
        let s = try ParameterRange.parse("p=0:1:0.4")
        #expect(s.discreteValues == [0, 0.4, 0.8])
    }

    @Test(arguments: [
        ("novalue", "missing '='"),
        ("=0:1", "empty parameter path"),
        ("a..b=0:1", "malformed path"),
        ("p=0:abc", "'abc' is not a number"),
        ("p=nan:1", "not a finite number"),
        ("p=0:inf", "not a finite number"),
        ("p=2:1", "greater than hi"),
        ("p=0:1:0", "step must be > 0"),
        ("p=0:1:-0.5", "step must be > 0"),
        ("p=", "list of values is empty"),
        ("p=1,,2", "empty number"),
        ("p=0:1:2:3", "expected lo:hi or lo:hi:step"),
        ("p=0:1:1e-7", "more than the 1000000 allowed"),
    ])
    func rejectsMalformed(text: String, expected: String) {
        do {
            _ = try ParameterRange.parse(text)
            Issue.record("\(text) parsed")
        } catch let e as ExperimentError {
            #expect(e.description.contains(expected), "\(e)")
            #expect(e.description.contains(text), "the message names the text: \(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func scaledKeepsDiscreteParametersOnTheirValues() throws {
        let l = try ParameterRange(name: "x", values: [10, 20, 30])
        #expect(l.scaled(0) == 10 && l.scaled(0.34) == 20 && l.scaled(0.999) == 30)
        let c = try ParameterRange(name: "y", lo: -1, hi: 3)
        #expect(c.scaled(0.5) == 1)
    }
}

@Suite("Designs")
struct DesignTests {
    let a = try! ParameterRange(name: "a", lo: 0, hi: 1)
    let b = try! ParameterRange(name: "b", lo: -5, hi: 5)
    let c = try! ParameterRange(name: "c", lo: 100, hi: 200)

    @Test func gridIsFullFactorialWithEnds() throws {
        let d = try Design.make(kind: .grid, parameters: [a, b], points: 5, seed: 1)
        #expect(d.points.count == 25)
        #expect(d.points.first == [0, -5] && d.points.last == [1, 5])
        #expect(d.points[1] == [0, -2.5], "the last parameter varies fastest")
        #expect(Set(d.points.map { $0[0] }) == [0, 0.25, 0.5, 0.75, 1])
        #expect(Set(d.points.map { $0 }).count == 25)
    }

    @Test func gridWithOnePointIsTheMidpoint() throws {
        let d = try Design.make(kind: .grid, parameters: [a, b], points: 1, seed: 1)
        #expect(d.points == [[0.5, 0]])
    }

    @Test func degenerateRangeHasOneGridValue() throws {
        let fixed = try ParameterRange.parse("f=2:2")
        let d = try Design.make(kind: .grid, parameters: [fixed, a], points: 3, seed: 0)
        #expect(d.points == [[2, 0], [2, 0.5], [2, 1]])
    }

    @Test func gridUsesStepAndList() throws {
        let s = try ParameterRange.parse("s=1:2:0.5")
        let l = try ParameterRange.parse("l=7,3")
        let d = try Design.make(kind: .grid, parameters: [s, l, a], points: 2, seed: 0)
        #expect(d.points.count == 3 * 2 * 2)
        #expect(d.points == [
            [1, 7, 0], [1, 7, 1], [1, 3, 0], [1, 3, 1],
            [1.5, 7, 0], [1.5, 7, 1], [1.5, 3, 0], [1.5, 3, 1],
            [2, 7, 0], [2, 7, 1], [2, 3, 0], [2, 3, 1],
        ])
        // A fully discrete grid ignores n.
        #expect(try Design.make(kind: .grid, parameters: [s, l], points: 0, seed: 0).points.count == 6)
    }

    @Test func gridRefusesHugeDesigns() throws {
        let p = (0..<4).map { try! ParameterRange(name: "p\($0)", lo: 0, hi: 1) }
        #expect(throws: ExperimentError.self) { try Design.make(kind: .grid, parameters: p, points: 100, seed: 0) }
    }

    @Test(arguments: [DesignKind.random, .lhs, .sobol])
    func sampledDesignsHaveCountsAndBounds(kind: DesignKind) throws {
        let d = try Design.make(kind: kind, parameters: [a, b, c], points: 200, seed: 42)
        #expect(d.kind == kind && d.points.count == 200)
        for p in d.points {
            #expect(p.count == 3)
            #expect(p[0] >= 0 && p[0] <= 1 && p[1] >= -5 && p[1] <= 5 && p[2] >= 100 && p[2] <= 200)
        }
        let again = try Design.make(kind: kind, parameters: [a, b, c], points: 200, seed: 42)
        #expect(again.points == d.points, "deterministic per seed")
    }

    @Test(arguments: [DesignKind.random, .lhs])
    func seedsChangeRandomDesigns(kind: DesignKind) throws {
        let d1 = try Design.make(kind: kind, parameters: [a, b], points: 50, seed: 1)
        let d2 = try Design.make(kind: kind, parameters: [a, b], points: 50, seed: 2)
        #expect(d1.points != d2.points)
    }

    @Test func sobolFollowsGSLsSequenceAndIgnoresTheSeed() throws {
        let d1 = try Design.make(kind: .sobol, parameters: [a, b], points: 8, seed: 1)
        let d2 = try Design.make(kind: .sobol, parameters: [a, b], points: 8, seed: 2)
        #expect(d1.points == d2.points)
        // GSL's sequence starts at the centre (it never emits the origin); nothing is skipped.
        #expect(d1.points[0] == [0.5, 0])
        #expect(d1.points[1] == [0.75, -2.5])
        #expect(d1.points[2] == [0.25, 2.5])
    }

    @Test(arguments: [1, 7, 64])
    func lhsHasOnePointPerStratumPerDimension(n: Int) throws {
        let params = [a, b, c]
        let d = try Design.make(kind: .lhs, parameters: params, points: n, seed: 9)
        for (j, p) in params.enumerated() {
            let strata = d.points.map { Int(((($0[j] - p.lo) / (p.hi - p.lo)) * Double(n)).rounded(.down)) }
            #expect(strata.sorted() == Array(0..<n), "dimension \(p.name)")
        }
    }

    @Test func sampledDesignsKeepListValues() throws {
        let l = try ParameterRange.parse("l=1,2,4")
        let d = try Design.make(kind: .random, parameters: [l, a], points: 100, seed: 3)
        #expect(Set(d.points.map { $0[0] }) == [1, 2, 4])
    }

    @Test func rejectsBadDesigns() throws {
        #expect(throws: ExperimentError.self) { try Design.make(kind: .random, parameters: [], points: 10, seed: 0) }
        #expect(throws: ExperimentError.self) { try Design.make(kind: .lhs, parameters: [a], points: 0, seed: 0) }
        #expect(throws: ExperimentError.self) { try Design.make(kind: .random, parameters: [a, a], points: 5, seed: 0) }
        let many = (0..<41).map { try! ParameterRange(name: "p\($0)", lo: 0, hi: 1) }
        #expect(throws: ExperimentError.self) { try Design.make(kind: .sobol, parameters: many, points: 4, seed: 0) }
    }
}
