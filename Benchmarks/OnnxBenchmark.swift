import Foundation
import ModelRegistry
import ModelRegistryEngines
import OnnxRuntimeEngine

/// ONNX Runtime: our engine's time per `run` call against onnxruntime's Python API (`Benchmarks/ort_latency.py`)
/// and against the floor, a C loop making the same ORT C calls with nothing around them (`Benchmarks/ort_floor.c`,
/// compiled here with `cc` against our own `onnxruntime_subset.h`), on the same model, input and thread count.
///
/// Every side calls the model `calls` times in a row per run, after a warm-up, and reports the mean time per call;
/// the figure is the median over runs. Runs alternate ours → Python → C, so all three see the same machine load.
/// Each call includes handing the input to ORT and converting the outputs (to Swift values on our side, NumPy and
/// Python objects in Python, plain memory in C). Our engine goes through a registry lease, as an application would.
struct OnnxBenchmark {
    /// One model to time.
    struct Case {
        var label: String
        var model: URL
        var shape: [Int]
        var calls: Int
        /// The outputs to compute; `nil` for all (the C floor always computes all, so it is skipped otherwise).
        var outputs: [String]? = nil
        /// The engine parameters of the model's configuration (e.g. `inlineRunMicroseconds`).
        var parameters: [String: String] = [:]
    }

    let files: BenchFiles
    let cases: [Case]
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        let floor = try? await buildFloor()
        if floor == nil { Progress.say("onnxruntime: cannot build Benchmarks/ort_floor.c with cc; no C comparison") }
        defer { if let floor { try? FileManager.default.removeItem(at: floor) } }
        var results: [Measurement] = []
        for benchmarkCase in cases {
            Progress.say("onnxruntime: \(benchmarkCase.label), ours / Python / C alternating, \(runs) runs")
            let (ours, python, floors) = try await measure(
                benchmarkCase, floor: benchmarkCase.outputs == nil ? floor : nil)
            let name = "\(benchmarkCase.label) per call (\(threads) thread\(threads == 1 ? "" : "s"))"
            for (clock, unit, pick) in [("", "µs/call", \Figures.wall), (", CPU time", "CPU µs/call", \Figures.cpu)] {
                results.append(Measurement(
                    "onnxruntime", name + clock, runs: ours[keyPath: pick], unit: unit, higherIsBetter: false,
                    comparison: python.wall.isEmpty ? nil : ("onnxruntime Python", python[keyPath: pick])))
                for (label, figures) in floors where !figures.wall.isEmpty {
                    results.append(Measurement(
                        "onnxruntime", "\(benchmarkCase.label) vs the \(label)" + clock, runs: ours[keyPath: pick],
                        unit: unit, higherIsBetter: false, comparison: ("C loop", figures[keyPath: pick])))
                }
            }
        }
        return results
    }

    /// Mean time per call of each run: wall clock, and the process's CPU time (less disturbed by other load on a
    /// shared machine, and the same work for every side while runs execute on the calling thread).
    struct Figures {
        var wall: [Double] = []
        var cpu: [Double] = []

        static func + (lhs: Figures, rhs: Figures) -> Figures {
            Figures(wall: lhs.wall + rhs.wall, cpu: lhs.cpu + rhs.cpu)
        }
    }

    /// The input every side uses: element i is ((i × 7) mod 13) / 4.
    static func input(shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, floats: (0..<count).map { Float(($0 * 7) % 13) / 4 })
    }

    /// Compiles the C loop into a temporary folder.
    private func buildFloor() async throws -> URL {
        let source = files.packageRoot.appendingPathComponent("Benchmarks/ort_floor.c")
        let header = files.packageRoot.appendingPathComponent("Sources/COnnxRuntime")
        let library = files.prefix.appendingPathComponent("lib").resolvingSymlinksInPath()
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("ort_floor-\(getpid())")
        _ = try await Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "cc", "-O2", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I", header.path, source.path,
            "-L", library.path, "-lonnxruntime", "-Wl,-rpath,\(library.path)", "-o", binary.path,
        ])
        return binary
    }

    /// One way to run the C loop: a model file and the outputs it fetches (`nil`: all of the file's outputs).
    struct Floor {
        var label: String
        var model: URL
        var outputs: [String]?
    }

    /// The C loops to compare a case with. A model whose final ZipMaps the engine builds in Swift gets two: the
    /// same calls as the engine (the rewritten model, fetching the ZipMap's input tensor), and ORT's ZipMap read
    /// through the C API (the file as it is, all outputs), which is what any C program calling the model as
    /// declared must do. Any other model gets the file as it is.
    private func floors(for benchmarkCase: Case, engine: OnnxRuntimeEngine) throws -> [Floor] {
        let declared = Floor(label: "C loop (floor)", model: benchmarkCase.model, outputs: nil)
        guard benchmarkCase.parameters["zipMap"] != "onnxruntime",
            let rewritten = OnnxZipMapRewrite.rewrite(path: benchmarkCase.model.path)
        else { return [declared] }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("floor-\(getpid())-\(UUID()).onnx")
        try Data(rewritten.model).write(to: file)
        let fetched = engine.outputs.map { output in
            rewritten.zipMaps.first { $0.output == output.name }?.input ?? output.name
        }
        return [
            Floor(label: "C loop (floor, same calls)", model: file, outputs: fetched),
            Floor(label: "C loop with ORT's ZipMap through the C API", model: benchmarkCase.model, outputs: nil),
        ]
    }

    /// Loads the model through a registry, then alternates one run of ours, one of the Python script and one of
    /// each C loop (after an untimed warm-up of ours; the others warm up on their own).
    private func measure(
        _ benchmarkCase: Case, floor: URL?
    ) async throws -> (ours: Figures, python: Figures, floors: [(String, Figures)]) {
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(
                name: "bench-onnx", engine: .onnxruntime, modelType: .tensor, path: benchmarkCase.model.path,
                threads: threads, parameters: benchmarkCase.parameters)
        ])
        let result: Result<(Figures, Figures, [(String, Figures)]), any Error>
        do {
            result = .success(try await registry.withModel("bench-onnx", as: OnnxRuntimeEngine.self) { engine in
                guard let name = engine.inputs.first?.name else {
                    throw BenchmarkError.unexpectedOutput(command: benchmarkCase.label, reason: "the model has no input")
                }
                let floors = floor == nil ? [] : try floors(for: benchmarkCase, engine: engine)
                defer {
                    for loop in floors where loop.model != benchmarkCase.model {
                        try? FileManager.default.removeItem(at: loop.model)
                    }
                }
                let inputs = [name: Self.input(shape: benchmarkCase.shape)]
                let outputs = benchmarkCase.outputs
                for _ in 0..<50 { _ = try await engine.run(inputs, outputs: outputs) }
                var ours = Figures()
                var python: Figures? = Figures()
                var c: [Figures?] = floors.map { _ in Figures() }
                for _ in 0..<runs {
                    let cpuStart = Statistics.processCPUSeconds()
                    let seconds = try await Statistics.time {
                        for _ in 0..<benchmarkCase.calls { _ = try await engine.run(inputs, outputs: outputs) }
                    }
                    let cpu = Statistics.processCPUSeconds() - cpuStart
                    ours.wall.append(seconds / Double(benchmarkCase.calls) * 1e6)
                    ours.cpu.append(cpu / Double(benchmarkCase.calls) * 1e6)
                    python = await reference("Python", python) { try await measurePython(benchmarkCase) }
                    if let floor {
                        for (index, loop) in floors.enumerated() {
                            c[index] = await reference(loop.label, c[index]) {
                                try await measureFloor(floor, loop, benchmarkCase)
                            }
                        }
                    }
                }
                return (ours, python ?? Figures(), zip(floors, c).map { ($0.label, $1 ?? Figures()) })
            })
        } catch {
            result = .failure(error)
        }
        await registry.shutdown()
        return try result.get()
    }

    /// Adds one run of a reference to its figures; a failure drops that reference (`nil`) for the rest.
    private func reference(
        _ name: String, _ figures: Figures?, _ body: () async throws -> Figures
    ) async -> Figures? {
        guard let figures else { return nil }
        do {
            return figures + (try await body())
        } catch {
            Progress.say("the \(name) reference failed, no comparison: \(error)")
            return nil
        }
    }

    private func measurePython(_ benchmarkCase: Case) async throws -> Figures {
        let script = files.packageRoot.appendingPathComponent("Benchmarks/ort_latency.py")
        var arguments = [
            script.path, "--model", benchmarkCase.model.path,
            "--shape", benchmarkCase.shape.map(String.init).joined(separator: ","), "--threads", "\(threads)",
            "--runs", "1", "--calls", "\(benchmarkCase.calls)", "--warmup", "50",
        ]
        if let outputs = benchmarkCase.outputs { arguments += ["--outputs", outputs.joined(separator: ",")] }
        return try Self.decodeRuns(try await Subprocess.run(files.python, arguments), from: script.lastPathComponent)
    }

    private func measureFloor(_ floor: URL, _ loop: Floor, _ benchmarkCase: Case) async throws -> Figures {
        var arguments = [
            loop.model.path, benchmarkCase.shape.map(String.init).joined(separator: ","), "\(threads)", "1",
            "\(benchmarkCase.calls)", "50",
        ]
        if let outputs = loop.outputs { arguments.append(outputs.joined(separator: ",")) }
        return try Self.decodeRuns(try await Subprocess.run(floor, arguments), from: "ort_floor")
    }

    static func decodeRuns(_ output: String, from command: String) throws -> Figures {
        struct Report: Decodable {
            var runs_us: [Double]
            var cpu_us: [Double]
        }
        do {
            let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
            return Figures(wall: report.runs_us, cpu: report.cpu_us)
        } catch {
            throw BenchmarkError.unexpectedOutput(command: command, reason: "\(error): \(output)")
        }
    }
}
