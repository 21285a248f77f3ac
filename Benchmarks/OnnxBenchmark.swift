import Foundation
import ModelRegistry
import ModelRegistryEngines
import OnnxRuntimeEngine

/// ONNX Runtime: our engine's latency per `run` call against onnxruntime's Python API on the same model, input and
/// intra-op thread count (`Benchmarks/ort_latency.py`, run as a subprocess).
///
/// Both sides call the model `calls` times in a row per run, after a warm-up, and report the mean time per call;
/// the figure is the median over runs. Runs alternate between the two sides. Each call includes copying the input
/// into ORT and converting the outputs (to Swift values on our side, to NumPy/Python objects on theirs).
struct OnnxBenchmark {
    /// One model to time.
    struct Case {
        var label: String
        var model: URL
        var shape: [Int]
        var calls: Int
    }

    let files: BenchFiles
    let cases: [Case]
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        var results: [Measurement] = []
        for benchmarkCase in cases {
            Progress.say("onnxruntime: \(benchmarkCase.label), ours and Python alternating, \(runs) runs")
            let (ours, theirs) = try await measure(benchmarkCase)
            results.append(Measurement(
                "onnxruntime", "\(benchmarkCase.label) per call (\(threads) thread\(threads == 1 ? "" : "s"))",
                runs: ours, unit: "µs/call", higherIsBetter: false,
                comparison: theirs.isEmpty ? nil : ("onnxruntime Python", theirs)))
        }
        return results
    }

    /// The input both sides use: element i is ((i × 7) mod 13) / 4.
    static func input(shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, floats: (0..<count).map { Float(($0 * 7) % 13) / 4 })
    }

    /// Loads the model through a registry, then alternates one run of ours with one run of the Python script
    /// (after an untimed warm-up of ours; the script warms up on its own), so both see the same machine load.
    private func measure(_ benchmarkCase: Case) async throws -> (ours: [Double], theirs: [Double]) {
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(
                name: "bench-onnx", engine: .onnxruntime, modelType: .tensor, path: benchmarkCase.model.path,
                threads: threads)
        ])
        let result: Result<([Double], [Double]), any Error>
        do {
            result = .success(try await registry.withModel("bench-onnx", as: OnnxRuntimeEngine.self) { engine in
                guard let name = engine.inputs.first?.name else {
                    throw BenchmarkError.unexpectedOutput(
                        command: benchmarkCase.label, reason: "the model has no input")
                }
                let inputs = [name: Self.input(shape: benchmarkCase.shape)]
                for _ in 0..<50 { _ = try await engine.run(inputs) }
                var ours: [Double] = []
                var theirs: [Double] = []
                var referenceFailed = false
                for _ in 0..<runs {
                    let seconds = try await Statistics.time {
                        for _ in 0..<benchmarkCase.calls { _ = try await engine.run(inputs) }
                    }
                    ours.append(seconds / Double(benchmarkCase.calls) * 1e6)
                    guard !referenceFailed else { continue }
                    do {
                        theirs += try await measurePython(benchmarkCase)
                    } catch {
                        Progress.say("the Python reference failed, no comparison: \(error)")
                        referenceFailed = true
                        theirs = []
                    }
                }
                return (ours, theirs)
            })
        } catch {
            result = .failure(error)
        }
        await registry.shutdown()
        return try result.get()
    }

    private func measurePython(_ benchmarkCase: Case) async throws -> [Double] {
        let script = files.packageRoot.appendingPathComponent("Benchmarks/ort_latency.py")
        let output = try await Subprocess.run(files.python, [
            script.path, "--model", benchmarkCase.model.path,
            "--shape", benchmarkCase.shape.map(String.init).joined(separator: ","), "--threads", "\(threads)",
            "--runs", "1", "--calls", "\(benchmarkCase.calls)", "--warmup", "50",
        ])
        struct Report: Decodable { var runs_us: [Double] }
        do {
            return try JSONDecoder().decode(Report.self, from: Data(output.utf8)).runs_us
        } catch {
            throw BenchmarkError.unexpectedOutput(command: script.lastPathComponent, reason: "\(error): \(output)")
        }
    }
}
