import Foundation
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryHTTP
import OnnxRuntimeEngine

/// What the HTTP layer costs: `POST /v2/models/iris/infer` through the `serve` example over one keep-alive loopback
/// connection, against the same inference called in-process (the engine through a lease, and the router without a
/// transport), alternating runs. Requests/s, and p50/p99 latency per request. The same request also goes over the
/// KServe binary-data extension (tritonclient's default: a JSON header, then the input's raw bytes; every output
/// returned as raw bytes).
struct HTTPBenchmark {
    let files: BenchFiles
    let runs: Int
    let requests: Int

    /// The input every side sends: three rows of two features.
    static let features: [Float] = [5.1, 3.5, 6.7, 3.0, 4.9, 3.1]

    static let body = Array(
        #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[5.1,3.5,6.7,3.0,4.9,3.1]}]}"#.utf8)

    /// The same request with the input as raw little-endian floats after the JSON header, and every output asked for
    /// as binary data; sent with ``binaryHeaders``.
    static let binaryHeader = Array(
        #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","parameters":{"binary_data_size":24}}],"parameters":{"binary_data_output":true}}"#.utf8)
    static let binaryBody = binaryHeader + features.withUnsafeBytes { Array($0) }
    static let binaryHeaders =
        "content-type: application/octet-stream\r\ninference-header-content-length: \(binaryHeader.count)\r\n"

    /// Requests/s, p50 and p99 (µs) of one run.
    private struct Run {
        var perSecond: Double
        var p50: Double
        var p99: Double

        init(latencies: [Double], seconds: Double) {
            let sorted = latencies.sorted()
            perSecond = Double(latencies.count) / seconds
            p50 = sorted[sorted.count / 2] * 1e6
            p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1e6
        }
    }

    func run() async throws -> [Measurement] {
        Progress.say("http: /v2/models/iris/infer over keep-alive vs in-process, \(requests) requests × \(runs) runs")
        let model = files.fixture("logreg_iris.onnx")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("models.json")
        try Data(#"{"models":{"iris":{"engine":"onnxruntime","type":"classifier","path":"\#(model.path)","threads":1,"preload":true}}}"#.utf8)
            .write(to: config)
        let server = try await ServeChild.start(config: config)
        defer { server.stop() }

        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(name: "iris", engine: .onnxruntime, modelType: .classifier, path: model.path, threads: 1),
        ])
        _ = try await registry.load("iris")
        let router = RegistryRouter(registry: registry)
        let client = try HTTPLoopbackClient(port: server.port)
        let input = Tensor(shape: [3, 2], floats: Self.features)
        let request = HTTPRequest(method: .post, path: "/v2/models/iris/infer", body: Data(Self.body))
        try infer(client, body: Self.body, command: "serve")  // warm up: the first request loads nothing

        var engine: [Run] = []
        var routed: [Run] = []
        var http: [Run] = []
        var binary: [Run] = []
        let clock = ContinuousClock()
        for _ in 0..<runs {
            engine.append(try await measure(clock) {
                _ = try await registry.withModel("iris", as: OnnxRuntimeEngine.self) { try await $0.run(["float_input": input]) }
            })
            routed.append(try await measure(clock) {
                guard await router.handle(request).status == 200 else { throw BenchmarkError.unexpectedOutput(command: "router", reason: "not 200") }
            })
            http.append(try await measure(clock) { try infer(client, body: Self.body, command: "serve") })
            binary.append(try await measure(clock) {
                try infer(client, body: Self.binaryBody, headers: Self.binaryHeaders, command: "serve, binary data")
            })
        }
        await registry.shutdown()
        let group = "http"
        let reference = "in-process engine"
        return [
            Measurement(group, "iris infer: HTTP keep-alive (serve)", runs: http.map(\.perSecond), unit: "req/s",
                        higherIsBetter: true, comparison: (reference, engine.map(\.perSecond)),
                        note: "one connection, sequential requests, JSON tensors; reference: withModel + engine.run"),
            Measurement(group, "iris infer: HTTP keep-alive, binary data (serve)", runs: binary.map(\.perSecond),
                        unit: "req/s", higherIsBetter: true, comparison: (reference, engine.map(\.perSecond)),
                        note: "input and outputs as raw bytes after a JSON header (Inference-Header-Content-Length)"),
            Measurement(group, "iris infer: router in-process (no transport)", runs: routed.map(\.perSecond), unit: "req/s",
                        higherIsBetter: true, comparison: (reference, engine.map(\.perSecond))),
            Measurement(group, "iris infer p50: HTTP keep-alive", runs: http.map(\.p50), unit: "µs",
                        higherIsBetter: false, comparison: (reference, engine.map(\.p50))),
            Measurement(group, "iris infer p99: HTTP keep-alive", runs: http.map(\.p99), unit: "µs",
                        higherIsBetter: false, comparison: (reference, engine.map(\.p99))),
            Measurement(group, "iris infer p50: HTTP keep-alive, binary data", runs: binary.map(\.p50), unit: "µs",
                        higherIsBetter: false, comparison: (reference, engine.map(\.p50))),
            Measurement(group, "iris infer p50: router in-process", runs: routed.map(\.p50), unit: "µs",
                        higherIsBetter: false, comparison: (reference, engine.map(\.p50))),
            Measurement(group, "iris infer p99: router in-process", runs: routed.map(\.p99), unit: "µs",
                        higherIsBetter: false, comparison: (reference, engine.map(\.p99))),
        ]
    }

    /// One infer request over the connection.
    /// - Throws: ``BenchmarkError/unexpectedOutput(command:reason:)`` unless the answer is 200.
    private func infer(
        _ client: HTTPLoopbackClient, body: [UInt8], headers: String = HTTPLoopbackClient.jsonHeaders,
        command: String
    ) throws {
        guard try client.post("/v2/models/iris/infer", body: body, headers: headers) == 200 else {
            throw BenchmarkError.unexpectedOutput(command: command, reason: "not 200")
        }
    }

    private func measure(_ clock: ContinuousClock, _ body: () async throws -> Void) async throws -> Run {
        var latencies: [Double] = []
        latencies.reserveCapacity(requests)
        let start = clock.now
        for _ in 0..<requests {
            let before = clock.now
            try await body()
            latencies.append(Statistics.seconds(clock.now - before))
        }
        return Run(latencies: latencies, seconds: Statistics.seconds(clock.now - start))
    }
}

/// The `serve` example, built beside this executable, started on a free loopback port.
struct ServeChild {
    let process: Process
    let port: Int

    static func start(config: URL) async throws -> ServeChild {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("serve")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchmarkError.missingFile(path: executable.path, hint: "build the serve example (make bench does)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--config", config.path, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let lines = AsyncStream<String> { continuation in
            DispatchQueue.global().async {
                var seen = ""
                while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty {
                    seen += String(decoding: chunk, as: UTF8.self)
                    continuation.yield(seen)
                    if seen.contains("\n") { break }
                }
                continuation.finish()
            }
        }
        for await seen in lines {
            if let range = seen.range(of: "127.0.0.1:"), let end = seen[range.upperBound...].firstIndex(of: "\n"),
                let port = Int(seen[range.upperBound..<end])
            {
                return ServeChild(process: process, port: port)
            }
        }
        process.terminate()
        throw BenchmarkError.unexpectedOutput(command: executable.path, reason: "no \"listening on\" line")
    }

    /// SIGTERM; serve drains and exits.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
