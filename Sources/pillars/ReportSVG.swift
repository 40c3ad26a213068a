import Foundation

/// Small SVG charts for `pillars report`, drawn in Swift so that a report needs no Python (or
/// anything else) at run time and embeds its pictures in the one HTML file: inline SVG is
/// vector (sharp when printed), has no external fetches and is a few kilobytes.
enum SVG {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    /// Escape text for HTML and SVG.
    static func esc(_ s: String) -> String {
        visibleControls(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    /// `s` with the invisible characters that reorder or hide text (bidirectional overrides,
    /// embeddings, isolates and marks, U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)
    /// and other control characters written out as `<U+202E>`, so a name cannot reverse or
    /// hide the text around it in a report.
    static func visibleControls(_ s: String) -> String {
        let hidden: (Unicode.Scalar) -> Bool = { c in
            (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value) || c.value == 0x200E || c.value == 0x200F
                || c.value == 0x061C || (c.value < 0x20 && c != "\n" && c != "\t") || c.value == 0x7F
        }
        guard s.unicodeScalars.contains(where: hidden) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            if hidden(c) { out += String(format: "<U+%04X>", c.value) } else { out.unicodeScalars.append(c) }
        }
        return out
    }
    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A linear scale from `domain` to `range`, with the domain widened a little and never empty.
    struct Scale {
        var d0: Double, d1: Double, r0: Double, r1: Double
        init(_ lo: Double, _ hi: Double, to r0: Double, _ r1: Double, includeZero: Bool = true) {
            var a = lo, b = hi
            if includeZero { a = min(a, 0); b = max(b, 0) }
            if !(a.isFinite && b.isFinite) { a = 0; b = 1 }
            if b - a < 1e-12 { a -= 0.5; b += 0.5 }
            let pad = (b - a) * 0.06
            d0 = a - pad; d1 = b + pad
            self.r0 = r0; self.r1 = r1
        }
        func callAsFunction(_ x: Double) -> Double { r0 + (x - d0) / (d1 - d0) * (r1 - r0) }
        /// About five round tick values inside the domain.
        /// Each tick is computed from its index (first + i·step), never by adding steps, so a
        /// step too small to change the value (a domain of 10000 to 10000.000000000002) cannot
        /// loop for ever; at most 12 ticks, and none when the domain is not finite.
        var ticks: [Double] {
            let raw = (d1 - d0) / 5
            guard raw.isFinite, raw > 0 else { return [] }
            let mag = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
            let first = ceil(d0 / step)
            var out = [Double]()
            for i in 0..<12 {
                let t = (first + Double(i)) * step
                guard t <= d1 + step * 1e-9 else { break }
                if let last = out.last, t <= last { break }
                out.append(abs(t) < step * 1e-9 ? 0 : t)
            }
            return out
        }
    }

    static func tick(_ x: Double) -> String {
        if abs(x) >= 10000 { return String(format: "%.0f", x) }
        return String(format: "%g", (x * 1e6).rounded() / 1e6)
    }

    /// Horizontal axis with ticks and grid lines at the bottom of a plot area.
    static func xAxis(_ s: Scale, top: Double, bottom: Double, label: String) -> String {
        var o = ""
        for t in s.ticks {
            let x = f(s(t))
            o += "<line x1=\"\(x)\" y1=\"\(f(top))\" x2=\"\(x)\" y2=\"\(f(bottom))\" stroke=\"#ddd\"/>"
            o += "<text x=\"\(x)\" y=\"\(f(bottom + 14))\" text-anchor=\"middle\" font-size=\"11\">\(tick(t))</text>"
        }
        o += "<text x=\"\(f((s.r0 + s.r1) / 2))\" y=\"\(f(bottom + 30))\" text-anchor=\"middle\" font-size=\"12\">\(esc(label))</text>"
        return o
    }

    /// Vertical axis with ticks and grid lines at the left of a plot area.
    static func yAxis(_ s: Scale, left: Double, right: Double, label: String) -> String {
        var o = ""
        for t in s.ticks {
            let y = f(s(t))
            o += "<line x1=\"\(f(left))\" y1=\"\(y)\" x2=\"\(f(right))\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            o += "<text x=\"\(f(left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"11\">\(tick(t))</text>"
        }
        return o + "<text transform=\"translate(14 \(f((s.r0 + s.r1) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(esc(label))</text>"
    }

    static func frame(_ w: Double, _ h: Double, title: String, _ body: String) -> String {
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(f(w)) \(f(h))\" width=\"\(f(w))\" height=\"\(f(h))\" font-family=\"sans-serif\"><title>\(esc(title))</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\(body)</svg>"
    }

    /// A forest plot: one row per item, its estimate as a dot and its interval as a line, and 0 marked.
    /// `first`: the palette index of the first item (1 for alternatives, so that each keeps the
    /// colour it has in the P(best) bars, where the baseline comes first).
    static func forest(_ items: [(label: String, mean: Double, lo: Double, hi: Double)], axis: String, title: String, first: Int = 1) -> String {
        let left = 190.0, right = 640.0, top = 10.0, row = 26.0
        let bottom = top + row * Double(max(items.count, 1))
        let s = Scale(items.map(\.lo).min() ?? 0, items.map(\.hi).max() ?? 1, to: left, right)
        var o = xAxis(s, top: top, bottom: bottom, label: axis)
        o += "<line x1=\"\(f(s(0)))\" y1=\"\(f(top))\" x2=\"\(f(s(0)))\" y2=\"\(f(bottom))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
        for (i, it) in items.enumerated() {
            let y = top + row * (Double(i) + 0.5), c = palette[(i + first) % palette.count]
            o += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(esc(it.label))</text>"
            o += "<line x1=\"\(f(s(it.lo)))\" y1=\"\(f(y))\" x2=\"\(f(s(it.hi)))\" y2=\"\(f(y))\" stroke=\"\(c)\" stroke-width=\"3\"/>"
            o += "<circle cx=\"\(f(s(it.mean)))\" cy=\"\(f(y))\" r=\"5\" fill=\"\(c)\"/>"
        }
        return frame(660, bottom + 40, title: title, o)
    }

    /// Cost against effect: each item at (effect, cost) with both intervals as cross lines.
    static func scatter(_ items: [(label: String, x: Double, xlo: Double, xhi: Double, y: Double, ylo: Double, yhi: Double)],
                        xLabel: String, yLabel: String, title: String, first: Int = 1) -> String {
        let left = 80.0, right = 640.0, top = 10.0, bottom = 300.0
        let sx = Scale(items.map(\.xlo).min() ?? 0, items.map(\.xhi).max() ?? 1, to: left, right)
        let sy = Scale(items.map(\.ylo).min() ?? 0, items.map(\.yhi).max() ?? 1, to: bottom, top)
        var o = xAxis(sx, top: top, bottom: bottom, label: xLabel)
        o += yAxis(sy, left: left, right: right, label: yLabel)
        o += "<line x1=\"\(f(sx(0)))\" y1=\"\(f(top))\" x2=\"\(f(sx(0)))\" y2=\"\(f(bottom))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
        o += "<line x1=\"\(f(left))\" y1=\"\(f(sy(0)))\" x2=\"\(f(right))\" y2=\"\(f(sy(0)))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
        for (i, it) in items.enumerated() {
            let c = palette[(i + first) % palette.count], x = sx(it.x), y = sy(it.y)
            o += "<line x1=\"\(f(sx(it.xlo)))\" y1=\"\(f(y))\" x2=\"\(f(sx(it.xhi)))\" y2=\"\(f(y))\" stroke=\"\(c)\" stroke-width=\"2\"/>"
            o += "<line x1=\"\(f(x))\" y1=\"\(f(sy(it.ylo)))\" x2=\"\(f(x))\" y2=\"\(f(sy(it.yhi)))\" stroke=\"\(c)\" stroke-width=\"2\"/>"
            o += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\" fill=\"\(c)\"/>"
            o += "<text x=\"\(f(x + 7))\" y=\"\(f(y - 7))\" font-size=\"11\" fill=\"\(c)\">\(esc(it.label))</text>"
        }
        return frame(660, bottom + 40, title: title, o)
    }

    /// Horizontal bars of values in [0, 1] (P(best)), the value written at the end of each bar.
    static func bars(_ items: [(label: String, value: Double)], title: String) -> String {
        let left = 190.0, right = 600.0, top = 10.0, row = 24.0
        let bottom = top + row * Double(max(items.count, 1))
        var o = ""
        for t in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = f(left + t * (right - left))
            o += "<line x1=\"\(x)\" y1=\"\(f(top))\" x2=\"\(x)\" y2=\"\(f(bottom))\" stroke=\"#ddd\"/>"
            o += "<text x=\"\(x)\" y=\"\(f(bottom + 14))\" text-anchor=\"middle\" font-size=\"11\">\(tick(t))</text>"
        }
        for (i, it) in items.enumerated() {
            let y = top + row * Double(i), c = palette[i % palette.count]
            o += "<text x=\"\(f(left - 8))\" y=\"\(f(y + row / 2 + 4))\" text-anchor=\"end\" font-size=\"12\">\(esc(it.label))</text>"
            o += "<rect x=\"\(f(left))\" y=\"\(f(y + 4))\" width=\"\(f(max(0, min(1, it.value)) * (right - left)))\" height=\"\(f(row - 8))\" fill=\"\(c)\"/>"
            o += "<text x=\"\(f(left + max(0, min(1, it.value)) * (right - left) + 5))\" y=\"\(f(y + row / 2 + 4))\" font-size=\"11\">\(String(format: "%.3f", it.value))</text>"
        }
        return frame(660, bottom + 24, title: title, o)
    }

    /// Lines over time (x: day), one per series, with a legend.
    static func lines(_ series: [(name: String, points: [(Double, Double)])], xLabel: String, yLabel: String, title: String) -> String {
        let left = 60.0, right = 520.0, top = 10.0, bottom = 260.0
        let xs = series.flatMap { $0.points.map(\.0) }, ys = series.flatMap { $0.points.map(\.1) }
        let sx = Scale(xs.min() ?? 0, xs.max() ?? 1, to: left, right, includeZero: false)
        let sy = Scale(ys.min() ?? 0, ys.max() ?? 1, to: bottom, top)
        var o = xAxis(sx, top: top, bottom: bottom, label: xLabel)
        o += yAxis(sy, left: left, right: right, label: yLabel)
        for (i, s) in series.enumerated() {
            let c = palette[i % palette.count]
            let pts = s.points.map { "\(f(sx($0.0))),\(f(sy($0.1)))" }.joined(separator: " ")
            o += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"/>"
            let ly = top + 16 * Double(i) + 6
            o += "<line x1=\"540\" y1=\"\(f(ly))\" x2=\"560\" y2=\"\(f(ly))\" stroke=\"\(c)\" stroke-width=\"3\"/>"
            o += "<text x=\"566\" y=\"\(f(ly + 4))\" font-size=\"11\">\(esc(s.name))</text>"
        }
        return frame(660, bottom + 40, title: title, o)
    }
}
