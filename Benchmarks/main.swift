// Benchmarks: the engines against their native reference tools, the registry's own costs, and memory over
// load/unload cycles. Figures are printed and written to bench-results.json in the current directory, never
// asserted. Build in release mode:
//
//   swift run -c release Benchmarks            # ~100M-parameter GGUF (generated once), 5 runs per figure
//   swift run -c release Benchmarks --quick    # the tiny fixtures, 3 runs per figure
//   swift run -c release Benchmarks onnx       # only the named sections (see BenchmarkPlan.Section)
//
// Options: --runs N (runs per figure), --threads N (llama.cpp threads; default: processors − 1), --cycles N
// (load/unload cycles for the memory figures; default 50), --output FILE (default bench-results.json).

import ExampleSupport
import Foundation
import ModelRegistry

let usage = "usage: Benchmarks [--quick] [--runs N] [--threads N] [--cycles N] [--output FILE] [SECTION...]\n"
    + "sections: \(BenchmarkPlan.Section.allCases.map(\.rawValue).joined(separator: ", ")) (default: all)"

if CommandLine.arguments.dropFirst().first == OnnxChild.flag {
    await OnnxChild.main(Array(CommandLine.arguments.dropFirst()))
}
let program = CommandLineProgram(name: "Benchmarks", usage: usage)
do {
    var arguments = try program.arguments(knownFlags: ["--quick"])
    let quick = arguments.flag("--quick")
    let runs = try arguments.int("--runs", in: 1...100) ?? (quick ? 3 : 5)
    // One core is left to the rest of the process (and the machine): ggml's threads wait for each other in
    // spinning barriers, so when one of them is descheduled the others burn their time slices; on a busy two-core
    // machine two threads ran 70 times slower than one.
    let threads = try arguments.int("--threads", in: 1...256)
        ?? max(1, min(8, ProcessInfo.processInfo.activeProcessorCount - 1))
    let cycles = try arguments.int("--cycles", in: 1...100_000) ?? 50
    let output = URL(fileURLWithPath: arguments.string("--output") ?? "bench-results.json")
    try arguments.finish()
    var sections: Set<BenchmarkPlan.Section> = []
    for name in arguments.positional {
        guard let section = BenchmarkPlan.Section(rawValue: name) else {
            throw UsageError("unknown section \"\(name)\"")
        }
        sections.insert(section)
    }

    let plan = try BenchmarkPlan(
        quick: quick, runs: runs, threads: threads, cycles: cycles,
        sections: sections.isEmpty ? Set(BenchmarkPlan.Section.allCases) : sections)
    let loadBefore = Statistics.loadAverage()
    let clock = ContinuousClock()
    let start = clock.now
    let results = try await plan.run()
    let duration = Statistics.seconds(clock.now - start)

    ResultTable.print(results)
    let report = BenchmarkReport(
        date: Date(), quick: quick, processors: ProcessInfo.processInfo.activeProcessorCount, runsPerFigure: runs,
        durationSeconds: duration, settings: plan.settings,
        loadAverage: ["start": loadBefore, "end": Statistics.loadAverage()], results: results)
    try report.write(to: output)
    print("\nload average (1, 5, 15 min): \(loadBefore) at the start, \(Statistics.loadAverage()) at the end "
        + "(\(ProcessInfo.processInfo.activeProcessorCount) processors)")
    print(String(format: "finished in %.1f s; wrote %@", duration, output.path))
} catch {
    program.exit(dueTo: error)
}
