import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ModelRegistry

/// `Scripts/test_http_server.py` running in a child process for one test: a local HTTP server with deterministic
/// payloads and failure modes (see the script's header), and a `/stats` route telling what it saw.
struct DownloadTestServer: Sendable {
    /// What the server saw, from `/stats`.
    struct Stats: Decodable, Sendable {
        /// The most payload requests it served at the same time.
        var maxConcurrent: Int
        /// Requests other than `/stats`.
        var totalRequests: Int
        /// Requests per path (without the query).
        var requests: [String: Int]
        /// Request paths in arrival order.
        var log: [String]
        /// The `Range` header of each request, per path (`""` for none).
        var ranges: [String: [String]]
        /// Body bytes written, per path (the range routes only).
        var bytesSent: [String: Int]

        enum CodingKeys: String, CodingKey {
            case maxConcurrent = "max_concurrent", totalRequests = "total_requests", requests, log, ranges
            case bytesSent = "bytes_sent"
        }
    }

    /// The port the server listens on, on 127.0.0.1.
    let port: Int

    /// Starts a server, runs `body`, and stops the server whatever `body` does.
    /// - Parameter body: The test, given the running server.
    /// - Returns: What `body` returns.
    static func run<T>(_ body: (DownloadTestServer) async throws -> T) async throws -> T {
        let (process, input, port) = try await start()
        defer {
            try? input.fileHandleForWriting.close()  // the server exits when its stdin closes...
            process.terminate()  // ...and on SIGTERM
            process.waitUntilExit()
        }
        return try await body(DownloadTestServer(port: port))
    }

    /// The URL of a path on this server, e.g. `url("/file/1024")`.
    /// - Parameter path: The path, with an optional query.
    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// What the server saw so far.
    func stats() async throws -> Stats {
        let (data, _) = try await URLSession.shared.data(from: url("/stats"))
        return try JSONDecoder().decode(Stats.self, from: data)
    }

    /// Lets the `/gate/<key>/…` downloads send the second half of their body.
    /// - Parameter key: The gate's key.
    func open(gate key: String) async throws {
        _ = try await URLSession.shared.data(from: url("/open/\(key)"))
    }

    /// The payload's SHA-256 as computed by the server with Python's hashlib (independent of the code under test).
    /// - Parameter size: The payload size.
    func sha256(ofPayloadOfSize size: Int) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: url("/sha256/\(size)"))
        return String(decoding: data, as: UTF8.self)
    }

    /// The bytes the server sends for a payload of `size` bytes: byte i is (i × 31 + 7) mod 251.
    /// - Parameter size: The payload size.
    static func payload(size: Int) -> [UInt8] {
        (0..<size).map { UInt8(($0 * 31 + 7) % 251) }
    }

    private static var script: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/test_http_server.py")
    }

    private static func start() async throws -> (Process, Pipe, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let firstLine = await DedicatedThread.run("DownloadTestServer.start") {  // a blocking read
            var bytes: [UInt8] = []
            while let byte = try? output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let port = Int(firstLine) else {
            process.terminate()
            throw ServerDidNotStart(firstLine: firstLine)
        }
        return (process, input, port)
    }

    private struct ServerDidNotStart: Error {
        let firstLine: String
    }
}
