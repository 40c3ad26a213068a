import SimCore
import SimConfig
// The record of a sweep's design (design.json), checked on resume and merge.
import Dispatch
import Foundation

/// What defines a sweep, written as `design.json` next to its table: a resumed sweep must
/// have the same record (else it would mix two designs in one table), and the shards of a
/// sweep must agree on everything but the shard before they are merged.
public struct SweepRecord: Codable, Equatable, Sendable {
    /// One swept parameter as given on the command line.
    public struct Parameter: Codable, Equatable, Sendable {
        public var name: String
        public var lo: Double
        public var hi: Double
        public var step: Double?
        public var values: [Double]?
        public init(_ r: ParameterRange) {
            name = r.name; lo = r.lo; hi = r.hi; step = r.step; values = r.values
        }
    }

    /// Format of this record (1).
    public var format = 1
    /// Version of the program that wrote it.
    public var version: String
    /// The scenario file and name (informative).
    public var scenarioFile: String
    public var scenarioName: String
    /// Hash of the effective scenario (overrides applied): identifies the scenario.
    public var scenarioHash: String
    /// grid, random, lhs or sobol.
    public var design: String
    /// `--points` as given (nil when not given).
    public var pointsRequested: Int?
    /// Number of design points.
    public var designPoints: Int
    /// Replications per point.
    public var replications: Int
    /// The master seed (as text: JSON numbers lose 64-bit precision).
    public var masterSeed: String
    /// The swept parameters.
    public var parameters: [Parameter]
    /// Hash of the design points' values: identical on every shard of one sweep.
    public var designHash: String
    /// The table's columns.
    public var columns: [String]
    /// This folder's shard, "i/n" ("1/1" for a whole or merged sweep).
    public var shard: String
    /// Jobs this shard owns.
    public var shardJobs: Int
    /// Jobs of the whole sweep (points × replications).
    public var totalJobs: Int

    public init(version: String, scenarioFile: String, scenarioName: String, scenarioHash: String,
                design: Design, pointsRequested: Int?, replications: Int, masterSeed: UInt64,
                columns: [String], shard: Shard) {
        self.version = version
        self.scenarioFile = scenarioFile
        self.scenarioName = scenarioName
        self.scenarioHash = scenarioHash
        self.design = design.kind.rawValue
        self.pointsRequested = pointsRequested
        designPoints = design.points.count
        self.replications = replications
        self.masterSeed = String(masterSeed)
        parameters = design.parameters.map(Parameter.init)
        designHash = Self.hash(design.points)
        self.columns = columns
        self.shard = "\(shard.index)/\(shard.count)"
        let total = design.points.count * replications
        totalJobs = total
        shardJobs = (0..<total).reduce(0) { $0 + (shard.owns($1) ? 1 : 0) }
    }

    /// FNV-1a over the bit patterns of every coordinate, as 16 hex digits.
    public static func hash(_ points: [[Double]]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in points {
            for x in p {
                var bits = x.bitPattern
                for _ in 0..<8 {
                    h = (h ^ (bits & 0xff)) &* 0x0000_0100_0000_01B3
                    bits >>= 8
                }
            }
            h = (h ^ 0x0a) &* 0x0000_0100_0000_01B3
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The fields that differ between two records, as "field: A here, B there" phrases
    /// (`mine`/`theirs` name the two sides). The version and file name are informative and
    /// not compared; the shard is compared unless `ignoringShard`.
    public func differences(from other: SweepRecord, ignoringShard: Bool, mine: String, theirs: String) -> [String] {
        var out = [String]()
        func check<V: Equatable>(_ name: String, _ a: V, _ b: V, _ show: (V) -> String) {
            if a != b { out.append("\(name): \(show(a)) \(mine), \(show(b)) \(theirs)") }
        }
        check("scenario (hash)", scenarioHash, other.scenarioHash) { $0 }
        check("design", design, other.design) { $0 }
        check("points", pointsRequested, other.pointsRequested) { $0.map(String.init) ?? "not given" }
        check("replications", replications, other.replications) { String($0) }
        check("seed", masterSeed, other.masterSeed) { $0 }
        check("parameters", parameters, other.parameters) { $0.map(Self.describe).joined(separator: " ") }
        if out.isEmpty { check("design points (hash)", designHash, other.designHash) { $0 } }
        check("columns", columns, other.columns) { $0.joined(separator: ",") }
        if !ignoringShard { check("shard", shard, other.shard) { $0 } }
        return out
    }

    /// `path=lo:hi`, `path=lo:hi:step` or `path=v1,v2`.
    public static func describe(_ p: Parameter) -> String {
        if let v = p.values { return p.name + "=" + v.map(formatNumber).joined(separator: ",") }
        return p.name + "=" + formatNumber(p.lo) + ":" + formatNumber(p.hi) + (p.step.map { ":" + formatNumber($0) } ?? "")
    }

    /// What is wrong with a row of this sweep's table, for a folder holding shard `shard`
    /// (nil when nothing is): the point and replication must be whole numbers naming a job of
    /// the design that the shard owns, the seed must be that replication's seed, and every
    /// other field a number or empty (nothing measured). Catches rows damaged by hand or
    /// copied from another sweep, which a resume would keep and a merge count as done.
    public func rowProblem(_ fields: [String], shard: Shard) -> String? {
        guard fields.count == columns.count, fields.count >= 3 else {
            return "\(fields.count) fields, expected \(columns.count)"
        }
        guard let point = Int(fields[0]), (0..<designPoints).contains(point) else {
            return "point '\(fields[0])' is not a point of the design (0…\(designPoints - 1))"
        }
        guard let replication = Int(fields[1]), (0..<replications).contains(replication) else {
            return "replication '\(fields[1])' is not one of 0…\(replications - 1)"
        }
        guard shard.owns(point * replications + replication) else {
            return "point \(point), replication \(replication) is not a job of shard \(shard.index)/\(shard.count)"
        }
        if let master = UInt64(masterSeed), fields[2] != String(Seeds.replication(master: master, index: replication)) {
            return "seed '\(fields[2])' is not the seed of replication \(replication) under --seed \(masterSeed)"
        }
        for (i, f) in fields.enumerated().dropFirst(3) where !f.isEmpty && Double(f) == nil {
            return "\(columns[i]) is '\(f.prefix(40))', not a number"
        }
        return nil
    }

    /// What is wrong with a row of a sweep's time series (timeseries.csv: point, replication,
    /// day, outputs), or nil: the job must be one of this sweep and `shard`, the day a whole
    /// number ≥ 1 (a NaN or a fraction would never meet its equal), the rest numbers.
    public func seriesRowProblem(_ fields: [String], columns: Int, shard: Shard) -> String? {
        guard fields.count == columns, fields.count >= 3 else { return "\(fields.count) fields, expected \(columns)" }
        guard let point = Int(fields[0]), (0..<designPoints).contains(point) else {
            return "point '\(fields[0].prefix(40))' is not a point of the design (0…\(designPoints - 1))"
        }
        guard let replication = Int(fields[1]), (0..<replications).contains(replication) else {
            return "replication '\(fields[1].prefix(40))' is not one of 0…\(replications - 1)"
        }
        guard shard.owns(point * replications + replication) else {
            return "point \(point), replication \(replication) is not a job of shard \(shard.index)/\(shard.count)"
        }
        guard let day = Int(fields[2]), day >= 1 else { return "day '\(fields[2].prefix(40))' is not a whole number of days ≥ 1" }
        for f in fields.dropFirst(3) where !f.isEmpty && Double(f) == nil { return "'\(f.prefix(40))' is not a number" }
        return nil
    }

    /// The shard as parsed.
    public var parsedShard: Shard? { try? Shard.parse(shard) }

    /// Read `design.json` from `url`.
    public static func read(_ url: URL) throws -> SweepRecord {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ExperimentError("\(url.path): cannot read (\(FileManager.default.fileExists(atPath: url.path) ? "unreadable" : "no such file"))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(SweepRecord.self, from: data) } catch let e as DecodingError {
            throw ExperimentError("\(url.path): not a sweep design record (\(Self.problem(e)))")
        } catch {
            throw ExperimentError("\(url.path): not a sweep design record (not valid JSON)")
        }
    }

    /// A decoding error in words (its Swift description dumps coding paths and contexts).
    static func problem(_ e: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .dataCorrupted: return "not valid JSON"
        case let .keyNotFound(key, c): return "no field \(path(c.codingPath + [key]))"
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return "field \(path(c.codingPath)) has the wrong type"
        @unknown default: return "not readable"
        }
    }

    /// The record as pretty-printed JSON with a trailing newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
