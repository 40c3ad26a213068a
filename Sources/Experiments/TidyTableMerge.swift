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

// Merging the tidy tables of a sweep's shards into one, in key order.
/// Merge tidy tables (e.g. the outputs of the shards of one sweep) into `output`.
///
/// All inputs must have identical headers. Rows are identified by their first `keyColumns`
/// fields: an exact duplicate (same key, same fields) is kept once, a conflicting one (same
/// key, different fields) is an error naming the key and both files. Rows are sorted by
/// the key columns, numerically where both values are numbers (numbers before text, text
/// compared as strings). The result is written to a temporary file in the output's
/// directory, synced, then renamed over `output`, so `output` is always either the old
/// file or the complete new one. Returns the number of rows written.
@discardableResult
public func mergeTidyTables(_ inputs: [URL], output: URL, keyColumns: Int) throws -> Int {
    let merged = try mergedTidyTable(inputs, keyColumns: keyColumns)
    try writeAtomically(Array(merged.text.utf8), to: output)
    return merged.rows
}

/// The merge of `mergeTidyTables` as text (header and sorted rows) and its row count,
/// written nowhere: for callers that publish it with other files.
public func mergedTidyTable(_ inputs: [URL], keyColumns: Int) throws -> (text: String, rows: Int) {
    guard !inputs.isEmpty else { throw ExperimentError("merge: no input tables") }
    var header: [String]?
    var firstFile = ""
    var byKey = [[String]: (row: [String], file: String)]()
    for url in inputs {
        let table = try readTidyTable(url)
        if let header {
            guard table.header == header else {
                throw ExperimentError("merge: \(url.path) has header \(table.header.joined(separator: ",")), but \(firstFile) has \(header.joined(separator: ","))")
            }
        } else {
            guard (1...table.header.count).contains(keyColumns) else {
                throw ExperimentError("merge: keyColumns must be between 1 and \(table.header.count), got \(keyColumns)")
            }
            header = table.header
            firstFile = url.path
        }
        for row in table.rows {
            let key = Array(row.prefix(keyColumns))
            if let seen = byKey[key] {
                guard seen.row == row else {
                    throw ExperimentError("merge: conflicting rows for key \(key.joined(separator: ",")) in \(seen.file) and \(url.path)")
                }
            } else {
                byKey[key] = (row, url.path)
            }
        }
    }
    let rows = byKey.keys.sorted(by: keyPrecedes).map { byKey[$0]!.row }
    var text = csvLine(header!)
    for row in rows { text += csvLine(row) }
    return (text, rows.count)
}

/// Rows order for merged tables: by key columns, numbers numerically and before text.
func keyPrecedes(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) where x != y {
        switch (Double(x), Double(y)) {
        case let (u?, v?): if u != v { return u < v } else { return x < y }
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return x < y
        }
    }
    return a.count < b.count
}
