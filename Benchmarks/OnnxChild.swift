import Foundation
import ModelRegistry
import OnnxRuntimeEngine

/// What the ONNX benchmark runs in a child process of the benchmark binary, where a fresh process matters: the
/// thread-pool comparison (ORT's environment, and with it the choice of shared pools, exists once per process), and
/// our per-call loop on its own (for profilers such as `valgrind --tool=callgrind`).
///
///   Benchmarks --onnx-child pools --pool own|shared --models 10 --threads 2 --model FILE
///       loads FILE 10 times (intra-op pools of 2 threads each, or one shared pool of 2), runs each once, prints
///       {"rss_bytes": …, "threads": …}
///   Benchmarks --onnx-child latency --model FILE --shape 3,2 --runs 5 --calls 5000 [--outputs a,b]
///       [--api run|withRun|into] [--zipMap swift|onnxruntime]
///       prints {"runs_us": [mean µs per call of each run], "cpu_us": [the same in process CPU time]}; `--api`
///       picks the call timed: `run` (the default, outputs copied into Swift values), `withRun` (outputs read in
///       place, their first element summed) or `into` (outputs written into buffers made once; every output named
///       must be a tensor of fixed shape); `--zipMap` is the engine parameter of that name (final ZipMaps built in
///       Swift, the default, or by ORT from the file as it is)
enum OnnxChild {
    static let flag = "--onnx-child"

    /// Runs the child mode named after ``flag`` and exits.
    static func main(_ arguments: [String]) async -> Never {
        do {
            var options: [String: String] = [:]
            var index = 2
            while index + 1 < arguments.count {
                options[arguments[index]] = arguments[index + 1]
                index += 2
            }
            let mode = arguments.count > 1 ? arguments[1] : ""
            let output: String
            switch mode {
            case "pools": output = try await pools(options)
            case "latency": output = try await latency(options)
            default: throw BenchmarkError.unexpectedOutput(command: flag, reason: "unknown mode \(mode)")
            }
            print(output)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("\(flag): \(error)\n".utf8))
            exit(1)
        }
    }

    private static func context(
        _ model: String, name: String, threads: Int = 1, parameters: [String: String]
    ) -> EngineLoadContext {
        EngineLoadContext(modelID: ModelID(), configuration: ModelConfiguration(
            name: name, engine: .onnxruntime, modelType: .tensor, path: model, threads: threads,
            parameters: parameters))
    }

    private static func pools(_ options: [String: String]) async throws -> String {
        let shared = options["--pool"] == "shared"
        let count = Int(options["--models"] ?? "") ?? 10
        let model = options["--model"] ?? ""
        let threads = Int(options["--threads"] ?? "") ?? 2
        if shared { try OnnxRuntime.configureSharedThreadPool(OnnxSharedThreadPool(intraOpThreads: threads)) }
        var engines: [OnnxRuntimeEngine] = []
        for index in 0..<count {
            let engine = OnnxRuntimeEngine()
            try await engine.load(context(
                model, name: "m\(index)", threads: threads, parameters: ["threadPool": shared ? "shared" : "own"]))
            let name = engine.inputs[0].name
            let shape = engine.inputs[0].shape?.map { max(1, Int($0)) } ?? [1]
            _ = try await engine.run([name: OnnxBenchmark.input(shape: shape)])
            engines.append(engine)
        }
        let threadCount = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
        let rss = Statistics.residentBytes()
        withExtendedLifetime(engines) {}
        return "{\"rss_bytes\": \(rss), \"threads\": \(threadCount)}"
    }

    private static func latency(_ options: [String: String]) async throws -> String {
        let shape = (options["--shape"] ?? "1").split(separator: ",").compactMap { Int($0) }
        let runs = Int(options["--runs"] ?? "") ?? 5
        let calls = Int(options["--calls"] ?? "") ?? 1000
        let outputs = options["--outputs"].map { $0.split(separator: ",").map(String.init) }
        let engine = OnnxRuntimeEngine()
        try await engine.load(context(
            options["--model"] ?? "", name: "latency", parameters: options["--zipMap"].map { ["zipMap": $0] } ?? [:]))
        let inputs = [engine.inputs[0].name: OnnxBenchmark.input(shape: shape)]
        let call = try LatencyCall(options["--api"] ?? "run", engine: engine, outputs: outputs)
        for _ in 0..<50 { try await call.run(engine, inputs) }
        var perCall: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<runs {
            let cpuStart = Statistics.processCPUSeconds()
            let seconds = try await Statistics.time {
                for _ in 0..<calls { try await call.run(engine, inputs) }
            }
            perCall.append(seconds / Double(calls) * 1e6)
            cpu.append((Statistics.processCPUSeconds() - cpuStart) / Double(calls) * 1e6)
        }
        let list = { (values: [Double]) in values.map { String(format: "%.4f", $0) }.joined(separator: ", ") }
        return "{\"runs_us\": [\(list(perCall))], \"cpu_us\": [\(list(cpu))]}"
    }
}

/// The engine call the latency child times (`--api`).
private enum LatencyCall {
    case run(outputs: [String]?)
    case withRun(outputs: [String]?)
    case into([String: TensorBuffer])

    init(_ name: String, engine: OnnxRuntimeEngine, outputs: [String]?) throws {
        switch name {
        case "run": self = .run(outputs: outputs)
        case "withRun": self = .withRun(outputs: outputs)
        case "into":
            var buffers: [String: TensorBuffer] = [:]
            for output in engine.outputs where outputs?.contains(output.name) ?? true {
                guard case .tensor(let type, let shape) = output.type, !shape.contains(where: { $0 < 0 }),
                    let buffer = TensorBuffer(elementType: type, shape: shape.map { Int($0) })
                else {
                    throw BenchmarkError.unexpectedOutput(
                        command: "--api into", reason: "output \(output.name) is not a tensor of fixed shape")
                }
                buffers[output.name] = buffer
            }
            self = .into(buffers)
        default: throw BenchmarkError.unexpectedOutput(command: "--api", reason: "unknown call \(name)")
        }
    }

    func run(_ engine: OnnxRuntimeEngine, _ inputs: [String: Tensor]) async throws {
        switch self {
        case .run(let outputs): _ = try await engine.run(inputs, outputs: outputs)
        case .withRun(let outputs):
            _ = try await engine.withRun(inputs, outputs: outputs) { values in values.names.count }
        case .into(let buffers): try await engine.run(inputs, into: buffers)
        }
    }
}
