import SimCore
import SimConfig
// Crash-safe streamed CSV ("tidy table": one row per design point × replication).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// Reading tidy tables: the CSV scanner that tells complete records from a torn last line.
/// Read a whole tidy table: its header and its rows (fields unquoted). Throws if the file
/// is empty, if a row's field count differs from the header's, or if the last record has
/// no terminating newline (a torn row: resume the run that wrote it to repair it).
public func readTidyTable(_ url: URL) throws -> (header: [String], rows: [[String]]) {
    let bytes = try readBytes(url)
    let scan = try scanCSV(bytes, file: url.path)
    guard scan.completeEnd == bytes.count else {
        throw ExperimentError("\(url.path): the last line is incomplete (no trailing newline); resume the run that wrote it with --resume, or delete that line")
    }
    guard let first = scan.records.first else {
        throw ExperimentError("\(url.path): empty file, expected a header line")
    }
    let header = first.fields
    var rows = [[String]]()
    rows.reserveCapacity(scan.records.count - 1)
    for record in scan.records.dropFirst() {
        guard record.fields.count == header.count else {
            throw ExperimentError("\(url.path) line \(record.line): \(record.fields.count) fields, expected \(header.count)")
        }
        rows.append(record.fields)
    }
    return (header, rows)
}

/// One row of a CSV line with the 1-based physical line it starts on.
struct CSVRecord {
    var fields: [String]
    var line: Int
}

/// The complete records of `bytes` and the offset just past the last complete one
/// (a record is complete once its terminating newline, outside quotes, is read). Blank
/// lines are skipped; CRLF is accepted.
func scanCSV(_ bytes: [UInt8], file: String) throws -> (records: [CSVRecord], completeEnd: Int) {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    let n = bytes.count
    var records = [CSVRecord]()
    var completeEnd = 0
    var i = 0
    var line = 1
    var field = [UInt8]()
    func text(_ f: [UInt8]) -> String { String(decoding: f, as: UTF8.self) }
    scanning: while i < n {
        let start = i
        let startLine = line
        var fields = [String]()
        var terminated = false
        fieldLoop: while true {
            field.removeAll(keepingCapacity: true)
            if i < n, bytes[i] == quote {
                i += 1
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < n, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if b == lf { line += 1 }
                    field.append(b)
                    i += 1
                }
                guard closed, i < n else { break fieldLoop }
                switch bytes[i] {
                case comma:
                    fields.append(text(field)); i += 1
                case lf:
                    fields.append(text(field)); i += 1; line += 1; terminated = true
                    break fieldLoop
                case cr where i + 1 < n && bytes[i + 1] == lf:
                    fields.append(text(field)); i += 2; line += 1; terminated = true
                    break fieldLoop
                case cr where i + 1 == n:
                    break fieldLoop
                default:
                    throw ExperimentError("\(file) line \(line): unexpected character after a closing quote; not a valid CSV file")
                }
            } else {
                while i < n, bytes[i] != comma, bytes[i] != lf { field.append(bytes[i]); i += 1 }
                guard i < n else { break fieldLoop }
                if bytes[i] == comma {
                    fields.append(text(field)); i += 1
                } else {
                    if field.last == cr { field.removeLast() }
                    fields.append(text(field)); i += 1; line += 1; terminated = true
                    break fieldLoop
                }
            }
        }
        guard terminated else { break scanning }
        completeEnd = i
        let blank = fields == [""] && i - start <= 2
        if !blank { records.append(CSVRecord(fields: fields, line: startLine)) }
    }
    return (records, completeEnd)
}

func readBytes(_ url: URL) throws -> [UInt8] {
    // A folder, a FIFO (which would block) or a device (/dev/zero never ends) is not a table.
    var info = stat()
    if stat(url.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
        let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "a folder" : (info.st_mode & S_IFMT) == S_IFIFO ? "a FIFO" : "a device or other special file"
        throw ExperimentError("\(url.path): is \(kind), not a regular file; expected a CSV file")
    }
    do { return Array(try Data(contentsOf: url)) } catch {
        throw ExperimentError("\(url.path): cannot read (\(error.localizedDescription))")
    }
}

/// Parse a whole CSV file written by hand or by another program (a design file): its header
/// and its rows, each with the 1-based line it starts on. Unlike `readTidyTable` a last line
/// without a newline is accepted. Throws `ExperimentError` naming `file` and the line.
public func parseCSVFile(_ url: URL) throws -> (header: [String], rows: [(fields: [String], line: Int)]) {
    var bytes = try readBytes(url)
    // A byte-order mark (as some spreadsheets write) is not part of the first name.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if let last = bytes.last, last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
    let scan = try scanCSV(bytes, file: url.path)
    if scan.completeEnd < bytes.count {
        // Only an unclosed quote leaves bytes after the last complete record here.
        let line = 1 + bytes[..<scan.completeEnd].filter { $0 == UInt8(ascii: "\n") }.count
        throw ExperimentError("\(url.path) line \(line): a quoted field is not closed (a '\"' without its closing '\"'); not a valid CSV file")
    }
    guard let first = scan.records.first else { throw ExperimentError("\(url.path): empty file, expected a header line") }
    return (first.fields, scan.records.dropFirst().map { ($0.fields, $0.line) })
}
