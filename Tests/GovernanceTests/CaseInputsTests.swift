import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import TestSupport

/// Issue 13, "no per-case knobs" (docs/CALIBRATION.md, per-case inputs): a parameter fitted
/// jointly on the cases (`Scenarios/calibrated.yaml`) must have the same value in every case,
/// so no case file may set it, neither directly nor in its timeline. A case that overrode one
/// would make the figure it informs a consistency check of its own set-up, not a test.
@Suite("Case inputs")
struct CaseInputsTests {
    /// The `path: value` lines of calibrated.yaml (every fitted parameter).
    static func calibrated() throws -> [(path: String, value: Double)] {
        let text = try String(contentsOf: bundledScenarios("calibrated.yaml"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> (String, Double)? in
            // `path: value`, perhaps followed by a comment (`# at a bound of [lo, hi]`).
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = code.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0].contains("."), let v = Double(parts[1]) else { return nil }
            return (parts[0], v)
        }
    }

    @Test func calibratedParametersAreNotSetByAnyCase() throws {
        let fitted = try Self.calibrated()
        // The fitted list of issue 13 includes what used to be per-case inputs.
        for path in ["governance.community_days", "governance.department_days", "governance.whistle.fix_days",
                     "partners.candidates_per_month", "partners.revenue_per_m2_month",
                     "partners.public_hours_per_month", "partners.amenity_gain"] {
            #expect(fitted.contains { $0.path == path }, "\(path) is not in calibrated.yaml")
        }
        let dir = bundledScenarios("cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }.sorted()
        #expect(files.count >= 6)
        for file in files {
            let s = try GovernanceModel.load(dir.appendingPathComponent(file).path)
            for (path, value) in fitted {
                // Where the value comes from: calibrated.yaml, not the case file (even with the same value).
                let origin = s.origins[path]?.file ?? "(default)"
                #expect(origin.hasSuffix("calibrated.yaml"), "\(file) sets the fitted \(path) (from \(origin))")
                #expect(s.parameters.double(path) == value, "\(file): \(path) is \(s.parameters.double(path)), calibrated \(value)")
                for entry in s.timeline {
                    #expect(!entry.changes.contains { $0.path == path }, "\(file): its timeline sets the fitted \(path)")
                }
            }
            // The plan improvement is kept at its shared default (not fitted, not set by Shanghai).
            #expect(s.origins["deliberation.improvement"] == nil, "\(file) sets deliberation.improvement")
        }
    }
}
