import ExampleSupport
import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// The `serve` example started on a free loopback port with a configuration of the fixture models: `iris`
/// (logreg_iris.onnx), `mlp` (an MLP written by Benchmarks/make_mlp.py), `tiny` (an LLM) and `embed`.
final class ServeProcess: Sendable {
    let port: Int
    let folder: URL
    private let process: Process
    private let output: Locked<String>
    private let exited: AsyncStream<Int32>
    /// Finishes once `serve`'s standard output has reached its end.
    private let outputEnded: AsyncStream<Never>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var mlpFile: URL { folder.appendingPathComponent("mlp.onnx") }

    /// Starts `serve` and waits for its "listening" line.
    /// - Parameters:
    ///   - arguments: More command-line options.
    ///   - tensorModels: More ONNX models to serve, as `tensor` models: file paths by name.
    /// - Throws: When the executable is missing, or it exits before listening.
    static func start(_ arguments: [String] = [], tensorModels: [String: String] = [:]) async throws -> ServeProcess {
        let folder = try NativeFixtures.temporaryDirectory()
        let mlp = folder.appendingPathComponent("mlp.onnx")
        let made = try await ChildProcess.run(NativeFixtures.python, [
            NativeFixtures.packageRoot.appendingPathComponent("Benchmarks/make_mlp.py").path, "--out", mlp.path,
            "--batch", "2", "--inputs", "16", "--hidden", "32", "--layers", "2",
        ])
        try #require(made.status == 0, "make_mlp.py: \(made.stderr)")
        let config = """
            {"models": {
              "iris": {"engine": "onnxruntime", "type": "classifier", "path": "\(NativeFixtures.model("logreg_iris.onnx").path)"},
              "mlp": {"engine": "onnxruntime", "type": "tensor", "path": "mlp.onnx"},
              "tiny": {"engine": "llamacpp", "type": "llm", "path": "\(NativeFixtures.model("tiny-llama.gguf").path)",
                       "contextLength": 1024, "preload": true, "parameters": {"chatTemplate": "chatml"}},
              "embed": {"engine": "llamacpp", "type": "embedding", "path": "\(NativeFixtures.model("tiny-embed.gguf").path)"}\(
                tensorModels.sorted { $0.key < $1.key }.map { name, path in
                    ",\n" + #"  "\#(name)": {"engine": "onnxruntime", "type": "tensor", "path": "\#(path)"}"#
                }.joined())
            }}
            """
        let configFile = folder.appendingPathComponent("models.json")
        try Data(config.utf8).write(to: configFile)
        // `--exit-with-parent`: should the test process crash, `serve` must not outlive it, holding the test run's
        // output open so that `swift test` waits for it.
        return try await ServeProcess(folder: folder, arguments: [
            "--config", configFile.path, "--catalog", folder.appendingPathComponent("catalog.json").path, "--port", "0",
            "--exit-with-parent",
        ] + arguments)
    }

    private init(folder: URL, arguments: [String]) async throws {
        self.folder = folder
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        let output = Locked("")
        let (lines, lineContinuation) = AsyncStream.makeStream(of: String.self)
        let (outputEnded, outputEndedContinuation) = AsyncStream.makeStream(of: Never.self)
        // Read on a thread of its own (`PipeReading`), not with `readabilityHandler`: tearing a dispatch read source
        // down on a pipe races the descriptor's close and crashed libdispatch's event loop under the thread
        // sanitizer (`_dispatch_event_loop_drain`).
        PipeReading.read(stdout.fileHandleForReading, chunk: { data in
            let text = String(decoding: data, as: UTF8.self)
            output.withLock { $0 += text }
            lineContinuation.yield(text)
        }, end: {
            lineContinuation.finish()
            outputEndedContinuation.finish()
        })
        let (exited, exitContinuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        try process.run()
        self.process = process
        self.output = output
        self.exited = exited
        self.outputEnded = outputEnded
        var seen = ""
        var port: Int?
        for await text in lines {
            seen += text
            if let range = seen.range(of: "listening on http://127.0.0.1:"),
                let end = seen[range.upperBound...].firstIndex(of: "\n")
            {
                port = Int(seen[range.upperBound..<end])
                break
            }
        }
        guard let port else {
            throw ServeFailed(message: "serve exited before listening; output: \(seen)")
        }
        self.port = port
    }

    /// A test that failed before calling ``stop()`` must not leave `serve` running: it holds the test run's output
    /// open, so the run would never end.
    deinit {
        if process.isRunning { process.terminate() }
    }

    struct ServeFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Sends SIGTERM and waits for the drain and the exit.
    /// - Returns: The exit status and everything `serve` printed.
    func stop() async -> (status: Int32, output: String) {
        process.terminate()
        var status: Int32 = -1
        for await value in exited { status = value }
        // The exit can be seen before the last output is read: wait for the output's end, a few seconds at most (a
        // process that inherited the pipe could hold it open).
        await withTaskGroup(of: Void.self) { [outputEnded] group in
            group.addTask { for await _ in outputEnded {} }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
        try? FileManager.default.removeItem(at: folder)
        return (status, output.withLock { $0 })
    }

    /// The `serve` executable SwiftPM built next to the test bundle.
    static func executable() throws -> URL {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(NativeFixtures.packageRoot.appendingPathComponent(".build/debug"))
        let candidates = directories.map { $0.appendingPathComponent("serve") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ServeFailed(message: "serve not found; build it first (swift build --build-tests). Searched: \(candidates)")
        }
        return found
    }
}

/// `curl` against the server: the status and the body.
enum Curl {
    struct Reply {
        var status: Int
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    /// Runs `curl -s` with `arguments` and returns the last response's status and body.
    static func run(_ arguments: [String]) async throws -> Reply {
        let outcome = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "300", "-w", "\n%{http_code}"] + arguments)
        var lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return Reply(status: status, body: lines.joined(separator: "\n"))
    }
}
