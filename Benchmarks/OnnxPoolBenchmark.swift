import Foundation

/// ONNX Runtime: resident memory and thread count of a process holding `models` small models, with an intra-op
/// pool of `threads` threads per session (ORT's default arrangement) against one shared pool of the same size
/// (`OnnxRuntime.configureSharedThreadPool`). Each figure comes from a fresh child process (`--onnx-child pools`),
/// because ORT's environment, which owns the shared pool, exists once per process; the two arrangements alternate.
struct OnnxPoolBenchmark {
    let model: URL
    let models: Int
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        Progress.say("onnxruntime: \(models) models, per-session vs shared thread pools, \(runs) runs each")
        var own: [(rss: Double, threads: Double)] = []
        var shared: [(rss: Double, threads: Double)] = []
        for _ in 0..<runs {
            own.append(try await probe(pool: "own"))
            shared.append(try await probe(pool: "shared"))
        }
        let label = "\(models) × \(model.lastPathComponent), \(threads) intra-op threads"
        return [
            Measurement("onnxruntime pools", "\(label): threads, shared pool", runs: shared.map(\.threads),
                        unit: "threads", higherIsBetter: false, comparison: ("per-session pools", own.map(\.threads))),
            Measurement("onnxruntime pools", "\(label): RSS, shared pool", runs: shared.map(\.rss), unit: "MiB",
                        higherIsBetter: false, comparison: ("per-session pools", own.map(\.rss))),
        ]
    }

    private func probe(pool: String) async throws -> (rss: Double, threads: Double) {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let output = try await Subprocess.run(executable, [
            OnnxChild.flag, "pools", "--pool", pool, "--models", "\(models)", "--threads", "\(threads)",
            "--model", model.path,
        ])
        struct Report: Decodable {
            var rss_bytes: Double
            var threads: Double
        }
        let report: Report
        do {
            report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        } catch {
            throw BenchmarkError.unexpectedOutput(command: "\(OnnxChild.flag) pools", reason: "\(error): \(output)")
        }
        return (report.rss_bytes / 1_048_576, report.threads)
    }
}
