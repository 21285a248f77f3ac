import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` driven by `curl`: management routes, bad and oversized bodies, keep-alive, a client leaving mid-stream.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct CurlTests {
    @Test func managementRoutes_registerListActivateLoadUnload() async throws {
        let server = try await ServeProcess.start()
        let url = server.baseURL
        let path = NativeFixtures.model("logreg_iris.onnx").path
        let json = ["-H", "content-type: application/json"]
        let created = try await Curl.run(json + ["-X", "POST", "\(url)/api/v1/registry/models",
            "-d", #"{"name":"flowers","version":"1.0.0","path":"\#(path)","type":"classifier"}"#])
        #expect(created.status == 201)
        let duplicate = try await Curl.run(json + ["-X", "POST", "\(url)/api/v1/registry/models",
            "-d", #"{"name":"flowers","version":"1.0.0","path":"\#(path)"}"#])
        #expect(duplicate.status == 409)
        let listed = try await Curl.run(["\(url)/api/v1/registry/models?name=flowers"])
        #expect((listed.json["versions"] as? [Any])?.count == 1)
        #expect(try await Curl.run(["-X", "PUT", "\(url)/api/v1/registry/models/flowers/2.0.0/activate"]).status == 404)
        let activated = try await Curl.run(["-X", "PUT", "\(url)/api/v1/registry/models/flowers/1.0.0/activate"])
        #expect(activated.status == 200)
        let loaded = try await Curl.run(["-X", "POST", "\(url)/api/v1/models/flowers/load"])
        #expect(loaded.json["state"] as? String == "loaded")
        let models = try await Curl.run(["\(url)/api/v1/models"])
        #expect((models.json["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            == ["embed", "flowers", "iris", "mlp", "tiny"])
        let unloaded = try await Curl.run(["-X", "POST", "\(url)/api/v1/models/flowers/unload"])
        #expect(unloaded.json["state"] as? String == "unloaded")
        #expect(try await Curl.run(["\(url)/api/v1/models/nope"]).status == 404)
        #expect(try await Curl.run(["\(url)/health"]).status == 200)
        _ = try await Curl.run(["-X", "POST", "\(url)/api/v1/models/tiny/load"])  // joins the preload
        #expect(try await Curl.run(["\(url)/ready"]).status == 200)
        let metrics = try await Curl.run(["\(url)/metrics"])
        #expect(metrics.body.contains("modelregistry_loads_total"))
        #expect(await server.stop().status == 0)
    }

    @Test func badBodies_oversizedBodyAndHead_chunkedUpload_andKeepAlive() async throws {
        let server = try await ServeProcess.start(["--max-body-bytes", "4096"])
        let url = server.baseURL
        let malformed = try await Curl.run(["-X", "POST", "\(url)/v1/completions", "-d", #"{"model": "tiny", "#])
        #expect(malformed.status == 400)
        #expect((malformed.json["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")
        let missing = try await Curl.run(["-X", "POST", "\(url)/v2/models/iris/infer", "-d", #"{"outputs":[]}"#])
        #expect(missing.status == 400)
        #expect((missing.json["error"] as? String)?.contains("inputs") == true)
        let big = String(repeating: "x", count: 10_000)  // curl sends Expect: 100-continue; serve answers 413 at once
        let oversized = try await Curl.run(["-X", "POST", "\(url)/v2/models/iris/infer", "-d", big])
        #expect(oversized.status == 413)
        #expect((oversized.json["error"] as? String)?.contains("4096") == true)
        let hugeHeader = try await Curl.run(["-H", "x-padding: \(String(repeating: "y", count: 20_000))", "\(url)/health"])
        #expect(hugeHeader.status == 431)
        let chunkedUpload = try await Curl.run([
            "-X", "POST", "-H", "transfer-encoding: chunked", "\(url)/v1/completions", "-d", #"{"model":"tiny"}"#,
        ])
        #expect(chunkedUpload.status == 411)
        let unknownMethod = try await Curl.run(["-X", "DELETE", "\(url)/v1/models"])
        #expect(unknownMethod.status == 405)
        // Two requests on one invocation: the second reuses the connection (0 new connects).
        let reuse = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/curl"),
            ["-s", "-w", "%{num_connects}\n", "-o", "/dev/null", "\(url)/health", "-o", "/dev/null", "\(url)/v1/models"])
        #expect(reuse.lines.prefix(2) == ["1", "0"])
        #expect(await server.stop().status == 0)
    }

    @Test func framing_spaceBeforeColonIs400_headSendsNoBody_http10StreamsUntilClose_emptyLineBeforeARequestIsSkipped() async throws {
        let server = try await ServeProcess.start()
        let script = NativeFixtures.packageRoot.appendingPathComponent("Tests/ServeTests/Clients/framing.py")
        let outcome = try await ChildProcess.run(NativeFixtures.python, [script.path, "\(server.port)"])
        try #require(outcome.status == 0, "framing.py: \(outcome.stderr)")
        let line = try #require(outcome.lines.last { !$0.isEmpty })
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(seen["space_before_colon"] as? String == "400")
        #expect(seen["space_before_colon_responses"] as? Int == 1)
        #expect(seen["head_status"] as? String == "405")
        #expect(seen["head_declares_length"] as? Bool == true)
        #expect(seen["after_head"] as? String == "200")
        #expect(seen["http10_status"] as? String == "200")
        #expect(seen["http10_chunked"] as? Bool == false)
        #expect(seen["http10_closes"] as? Bool == true)
        #expect(seen["http10_body_starts_with_event"] as? Bool == true)
        #expect(seen["http10_body_ends_with_done"] as? Bool == true)
        #expect((seen["after_extra_line"] as? [String])?.last == "200", "\(seen["after_extra_line"] ?? "")")
        #expect((seen["after_extra_line"] as? [String])?.count == 2)
        #expect(await server.stop().status == 0)
    }

    @Test func connectionsBeyondTheBound_get503_evenMidUpload_andIdleOrTricklingConnectionsAreClosed() async throws {
        let server = try await ServeProcess.start(["--max-connections", "2", "--idle-timeout", "2"])
        let script = NativeFixtures.packageRoot.appendingPathComponent("Tests/ServeTests/Clients/connection_limits.py")
        let outcome = try await ChildProcess.run(NativeFixtures.python, [script.path, "\(server.port)", "2"])
        try #require(outcome.status == 0, "connection_limits.py: \(outcome.stderr)")
        let line = try #require(outcome.lines.last { !$0.isEmpty })
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(seen["statuses"] as? [String] == ["200", "200"])
        #expect(seen["refused"] as? String == "503")
        #expect(seen["refused_upload"] as? String == "503", "the 503 was lost to a reset")
        #expect(seen["idle_closed"] as? Bool == true)
        // the idle timeout is 2 s; a clock reset by every line would have let the head trickle for 30 s
        let trickled = try #require(seen["trickle_closed_after"] as? Double, "a trickled head kept its connection")
        #expect(trickled < 10)
        #expect(await server.stop().status == 0)
    }

    /// A client that leaves while its whole (non-streamed) completion is generated: serve notices the closed
    /// connection and cancels the request, so the generation stops instead of running to `max_tokens`.
    @Test func clientLeavingBeforeAWholeCompletionIsReady_cancelsTheRequest() async throws {
        let server = try await ServeProcess.start()
        let url = server.baseURL
        // 1,000 tokens (end of text banned) take about half a second here; the client leaves at once
        let body = #"{"model":"tiny","prompt":"the cat","max_tokens":1000,"logit_bias":{"2":-100}}"#
        let leave = """
            import socket, sys
            body = sys.argv[2].encode()
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"POST /v1/completions HTTP/1.1\\r\\nhost: x\\r\\ncontent-length: %d\\r\\n\\r\\n%s" % (len(body), body))
            s.close()
            """
        let left = try await ChildProcess.run(NativeFixtures.python, ["-c", leave, "\(server.port)", body])
        try #require(left.succeeded, "\(left.stderr)")
        var abandoned = false
        var leases = -1
        // The server is another process: its metrics are all this test sees, and no event says when they change.
        for _ in 0..<100 where !abandoned || leases != 0 {  // bounded: serve looks at the connection every 50 ms
            let metrics = try await Curl.run(["\(url)/metrics"]).body
            abandoned = metrics.contains("modelregistry_http_requests_abandoned_total 1")
            leases = metrics.contains(#"modelregistry_leases{model="tiny"} 0"#) ? 0 : 1
            if !abandoned || leases != 0 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(abandoned)
        #expect(leases == 0)
        #expect(await server.stop().status == 0)
    }

    @Test func clientDisconnectingMidStream_cancelsTheGenerationAndTheLeaseReturnsToZero() async throws {
        let server = try await ServeProcess.start()
        let url = server.baseURL
        let body = #"{"model":"tiny","prompt":"the cat","max_tokens":1000,"stream":true}"#
        let streamed = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/curl"),
            ["-sN", "--max-time", "120", "-X", "POST", "\(url)/v1/completions", "-d", body]
        ) { output, process in
            // Leave after the first event. SIGKILL: the test runner may pass SIGTERM on as ignored.
            if output.contains("data: {"), process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        #expect(streamed.stdout.contains("data: {"))
        #expect(!streamed.stdout.contains("[DONE]"))
        var leases = -1
        var cancelled = false
        // The server is another process: its metrics are all this test sees, and no event says when they change.
        for _ in 0..<100 where leases != 0 || !cancelled {  // bounded: the server notices at its next write
            let metrics = try await Curl.run(["\(url)/metrics"]).body
            leases = metrics.contains(#"modelregistry_leases{model="tiny"} 0"#) ? 0 : 1
            cancelled = metrics.contains(#"modelregistry_http_streams_total{outcome="cancelled"} 1"#)
            if leases != 0 || !cancelled { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(leases == 0)
        #expect(cancelled)
        #expect(await server.stop().status == 0)
    }
}
