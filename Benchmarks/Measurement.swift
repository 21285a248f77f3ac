import Foundation

/// One figure the benchmarks produce, with what it is compared to, if anything.
struct Measurement: Codable, Sendable {
    /// The same figure measured by another tool on the same input.
    struct Comparison: Codable, Sendable {
        /// The tool, e.g. `"llama-bench"`.
        var name: String
        /// Its value, in the measurement's unit.
        var value: Double
        /// `ours / theirs`.
        var ratio: Double
        /// Its value in each run.
        var runs: [Double]
    }

    /// The section, e.g. `"llama.cpp"`.
    var group: String
    /// What was measured, e.g. `"tg64 (generation)"`.
    var name: String
    /// The median over runs (or the single value).
    var value: Double
    /// E.g. `"tokens/s"`, `"µs/call"`.
    var unit: String
    /// Whether a larger value is better (throughput) or worse (latency, memory); `nil` when neither.
    var higherIsBetter: Bool?
    /// The value of each run; `nil` for a single value.
    var runs: [Double]?
    /// The reference figure, when there is one.
    var comparison: Comparison?
    /// A remark shown under the table, e.g. how the figure is approximated.
    var note: String?

    init(
        _ group: String, _ name: String, value: Double, unit: String, higherIsBetter: Bool? = nil, runs: [Double] = [],
        comparison: (name: String, runs: [Double])? = nil, note: String? = nil
    ) {
        self.group = group
        self.name = name
        self.value = value
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.runs = runs.isEmpty ? nil : runs
        if let comparison, !comparison.runs.isEmpty {
            let theirs = Statistics.median(comparison.runs)
            self.comparison = Comparison(
                name: comparison.name, value: theirs, ratio: theirs == 0 ? 0 : value / theirs, runs: comparison.runs)
        }
        self.note = note
    }

    /// A measurement that is the median of its runs.
    init(
        _ group: String, _ name: String, runs: [Double], unit: String, higherIsBetter: Bool? = nil,
        comparison: (name: String, runs: [Double])? = nil, note: String? = nil
    ) {
        self.init(
            group, name, value: Statistics.median(runs), unit: unit, higherIsBetter: higherIsBetter, runs: runs,
            comparison: comparison, note: note)
    }
}

/// The whole run, as written to `bench-results.json`.
struct BenchmarkReport: Codable, Sendable {
    var date: Date
    var quick: Bool
    var processors: Int
    var runsPerFigure: Int
    var durationSeconds: Double
    var settings: [String: String]
    /// `/proc/loadavg` when the run started and when it ended: other work on the machine skews the figures.
    var loadAverage: [String: String]
    var results: [Measurement]

    /// Writes the report as pretty JSON.
    /// - Parameter url: The file.
    /// - Throws: Encoding and file errors.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
