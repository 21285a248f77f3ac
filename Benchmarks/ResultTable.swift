import Foundation

/// Prints measurements as an aligned table, grouped by section, with the reference figure and the ratio.
enum ResultTable {
    static func print(_ results: [Measurement]) {
        let header = ["benchmark", "ours", "unit", "reference", "ours/ref"]
        var rows: [[String]] = []
        var notes: [String] = []
        var group = ""
        for result in results {
            if result.group != group {
                group = result.group
                rows.append(["[\(group)]", "", "", "", ""])
            }
            var name = result.name
            if let note = result.note {
                notes.append(note)
                name += " [\(notes.count)]"
            }
            let reference = result.comparison.map { "\(format($0.value)) \($0.name)" } ?? ""
            let ratio = result.comparison.map { String(format: "%.2f", $0.ratio) + verdict(result, $0.ratio) } ?? ""
            rows.append(["  " + name, format(result.value), result.unit, reference, ratio])
        }
        let widths = header.indices.map { column in (rows + [header]).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 0 || column >= 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        Swift.print(line(header))
        Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in rows { Swift.print(line(row)) }
        for (index, note) in notes.enumerated() { Swift.print("[\(index + 1)] \(note)") }
    }

    /// Whether the ratio means we are faster or slower.
    private static func verdict(_ result: Measurement, _ ratio: Double) -> String {
        guard let higherIsBetter = result.higherIsBetter else { return "" }
        return (ratio >= 1) == higherIsBetter ? " (ours better)" : " (ref better)"
    }

    /// Three significant digits or so, without exponent noise.
    static func format(_ value: Double) -> String {
        switch abs(value) {
        case 0: "0"
        case ..<10: String(format: "%.2f", value)
        case ..<1_000: String(format: "%.1f", value)
        default: String(format: "%.0f", value)
        }
    }
}
