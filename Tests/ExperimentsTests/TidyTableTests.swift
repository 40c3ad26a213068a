import Foundation
import Testing
import SimCore
import SimConfig
@testable import Experiments
import TestSupport

/// A fresh temporary directory per test, removed afterwards.
private final class TempDir {
    let url: URL
    init() throws { url = temporaryFolder("simcore-tidy") }
    deinit { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

private let header = ["point", "replication", "x", "label"]

private func row(_ p: Int, _ r: Int) -> [String] {
    [String(p), String(r), formatNumber(Double(p) + Double(r) / 10), "p\(p),\"r\(r)\""]
}

private func append(_ text: String, to url: URL) throws {
    let h = try FileHandle(forWritingTo: url)
    try h.seekToEnd()
    try h.write(contentsOf: Data(text.utf8))
    try h.close()
}

@Suite("Tidy tables")
struct TidyTableTests {
    @Test func writesAndReadsBack() throws {
        let dir = try TempDir()
        let url = dir.file("out.csv")
        let w = try TidyTableWriter(url: url, header: header, resume: false)
        #expect(w.completedKeys.isEmpty && w.resumedRows == 0)
        for p in 0..<3 { for r in 0..<2 { try w.write(row(p, r)) } }
        try w.close()
        let t = try readTidyTable(url)
        #expect(t.header == header)
        #expect(t.rows.count == 6)
        #expect(t.rows[1] == ["0", "1", "0.1", "p0,\"r1\""])
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("point,replication,x,label\n0,0,0,\"p0,\"\"r0\"\"\"\n"))
    }

    @Test func fieldsWithNewlinesRoundTrip() throws {
        let dir = try TempDir()
        let url = dir.file("nl.csv")
        let w = try TidyTableWriter(url: url, header: ["k", "note"], resume: false, keyColumns: 1)
        try w.write(["1", "two\nlines"])
        try w.write(["2", "crlf\r\nand, comma"])
        try w.close()
        #expect(try readTidyTable(url).rows == [["1", "two\nlines"], ["2", "crlf\r\nand, comma"]])
    }

    @Test func refusesToOverwrite() throws {
        let dir = try TempDir()
        let url = dir.file("out.csv")
        try TidyTableWriter(url: url, header: header, resume: false).close()
        do {
            _ = try TidyTableWriter(url: url, header: header, resume: false)
            Issue.record("an existing table was reopened without resume")
        } catch let e as ExperimentError {
            #expect(e.description.contains(url.path) && e.description.contains("--resume"))
        }
        // An empty file is not results: it may be reused.
        let empty = dir.file("empty.csv")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        try TidyTableWriter(url: empty, header: header, resume: false).close()
        #expect(try readTidyTable(empty).header == header)
    }

    @Test func resumeCreatesAMissingFile() throws {
        let dir = try TempDir()
        let url = dir.file("new.csv")
        let w = try TidyTableWriter(url: url, header: header, resume: true)
        try w.write(row(0, 0))
        try w.close()
        #expect(try readTidyTable(url).rows.count == 1)
    }

    @Test func resumesAfterATornLastLine() throws {
        let dir = try TempDir()
        let url = dir.file("out.csv")
        let w = try TidyTableWriter(url: url, header: header, resume: false, syncEvery: 1)
        for r in 0..<3 { try w.write(row(0, r)) }
        try w.close()
        try append("1,0,1.2345,\"p1", to: url) // a crash in the middle of a row
        #expect(throws: ExperimentError.self) { try readTidyTable(url) }

        let resumed = try TidyTableWriter(url: url, header: header, resume: true)
        #expect(resumed.resumedRows == 3)
        #expect(resumed.droppedTornBytes == "1,0,1.2345,\"p1".utf8.count)
        #expect(resumed.completedKeys == [["0", "0"], ["0", "1"], ["0", "2"]])
        #expect(resumed.isDone(["0", "1"]) && !resumed.isDone(["1", "0"]))
        #expect(throws: ExperimentError.self) { try resumed.write(row(0, 1)) }
        for r in 0..<3 { try resumed.write(row(1, r)) }
        try resumed.close()
        let t = try readTidyTable(url)
        #expect(t.rows == (0..<2).flatMap { p in (0..<3).map { row(p, $0) } })
    }

    @Test func resumesAfterATearInsideAQuotedNewline() throws {
        let dir = try TempDir()
        let url = dir.file("q.csv")
        let w = try TidyTableWriter(url: url, header: ["k", "note"], resume: false, keyColumns: 1)
        try w.write(["1", "ok"])
        try w.close()
        try append("2,\"first line\nsecond", to: url) // the last '\n' is inside a quoted field
        let resumed = try TidyTableWriter(url: url, header: ["k", "note"], resume: true, keyColumns: 1)
        #expect(resumed.completedKeys == [["1"]])
        try resumed.write(["2", "first line\nsecond line"])
        try resumed.close()
        #expect(try readTidyTable(url).rows == [["1", "ok"], ["2", "first line\nsecond line"]])
    }

    @Test func resumeRepairsATornHeader() throws {
        let dir = try TempDir()
        let url = dir.file("h.csv")
        _ = FileManager.default.createFile(atPath: url.path, contents: Data("point,repl".utf8))
        let w = try TidyTableWriter(url: url, header: header, resume: true)
        try w.write(row(0, 0))
        try w.close()
        #expect(try readTidyTable(url) == (header, [row(0, 0)]))
    }

    @Test func resumeRejectsAnotherHeader() throws {
        let dir = try TempDir()
        let url = dir.file("out.csv")
        try TidyTableWriter(url: url, header: ["point", "replication", "y"], resume: false).close()
        do {
            _ = try TidyTableWriter(url: url, header: header, resume: true)
            Issue.record("a table with another header was resumed")
        } catch let e as ExperimentError {
            #expect(e.description.contains(url.path) && e.description.contains("header"))
        }
    }

    @Test func rejectsRowsOfTheWrongWidth() throws {
        let dir = try TempDir()
        let w = try TidyTableWriter(url: dir.file("w.csv"), header: header, resume: false)
        #expect(throws: ExperimentError.self) { try w.write(["1", "2"]) }
    }

    @Test func mergeOfShardsEqualsTheSingleTable() throws {
        let dir = try TempDir()
        let jobs = sweepJobs(points: 6, replications: 4, masterSeed: 7)
        // One process, jobs completing out of order.
        let single = try TidyTableWriter(url: dir.file("single.csv"), header: header, resume: false)
        for job in jobs.reversed() { try single.write(row(job.point, job.replication)) }
        try single.close()
        // Three shards.
        var shardFiles = [URL]()
        for i in 1...3 {
            let shard = try Shard(index: i, count: 3)
            let url = dir.file("shard\(i).csv")
            let w = try TidyTableWriter(url: url, header: header, resume: false)
            for job in shard.select(jobs) { try w.write(row(job.point, job.replication)) }
            try w.close()
            shardFiles.append(url)
        }
        let merged = dir.file("merged.csv")
        // A shard given twice: its rows are exact duplicates, dropped.
        #expect(try mergeTidyTables(shardFiles + [shardFiles[0]], output: merged, keyColumns: 2) == jobs.count)
        let sortedSingle = dir.file("single-sorted.csv")
        #expect(try mergeTidyTables([dir.file("single.csv")], output: sortedSingle, keyColumns: 2) == jobs.count)
        let m = try readTidyTable(merged)
        #expect(m.header == header)
        #expect(m.rows == jobs.map { row($0.point, $0.replication) }, "sorted numerically by point, replication")
        #expect(try Data(contentsOf: merged) == Data(contentsOf: sortedSingle))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.url.path)).contains { $0.contains(".tmp-") })
    }

    @Test func mergeSortsKeysNumerically() throws {
        let dir = try TempDir()
        let url = dir.file("a.csv")
        let w = try TidyTableWriter(url: url, header: ["point", "v"], resume: false, keyColumns: 1)
        for p in [10, 2, 1, 100] { try w.write([String(p), "x"]) }
        try w.close()
        let out = dir.file("m.csv")
        try mergeTidyTables([url], output: out, keyColumns: 1)
        #expect(try readTidyTable(out).rows.map { $0[0] } == ["1", "2", "10", "100"])
    }

    @Test func mergeRejectsConflictsAndHeaderMismatch() throws {
        let dir = try TempDir()
        let a = dir.file("a.csv"), b = dir.file("b.csv"), c = dir.file("c.csv")
        let wa = try TidyTableWriter(url: a, header: header, resume: false)
        try wa.write(row(0, 0)); try wa.write(row(0, 1)); try wa.close()
        let wb = try TidyTableWriter(url: b, header: header, resume: false)
        var changed = row(0, 1); changed[2] = "99"
        try wb.write(changed); try wb.close()
        do {
            try mergeTidyTables([a, b], output: dir.file("m.csv"), keyColumns: 2)
            Issue.record("conflicting rows were merged")
        } catch let e as ExperimentError {
            #expect(e.description.contains("conflicting") && e.description.contains("0,1"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("m.csv").path))
        try TidyTableWriter(url: c, header: ["point", "replication", "x", "other"], resume: false).close()
        #expect(throws: ExperimentError.self) { try mergeTidyTables([a, c], output: dir.file("m.csv"), keyColumns: 2) }
        #expect(throws: ExperimentError.self) { try mergeTidyTables([], output: dir.file("m.csv"), keyColumns: 2) }
    }

    @Test func csvFieldsAndNumbers() {
        #expect(csvField("plain") == "plain")
        #expect(csvField("a,b") == "\"a,b\"")
        #expect(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(csvField("two\nlines") == "\"two\nlines\"")
        #expect(formatNumber(3) == "3")
        #expect(formatNumber(-12) == "-12")
        #expect(formatNumber(-0.0) == "0")
        #expect(formatNumber(0.1) == "0.1")
        #expect(formatNumber(1.0 / 3) == "0.3333333333333333")
        #expect(formatNumber(1e20) == "1e+20")
        #expect(formatNumber(.nan) == "nan")
        #expect(formatNumber(.infinity) == "inf" && formatNumber(-.infinity) == "-inf")
        for x in [0.1, 1.0 / 3, 1e-300, 123456.789, -2.5e-8, 1e15, 4503599627370497] {
            #expect(Double(formatNumber(x)) == x, "round trip of \(x)")
        }
    }
}
