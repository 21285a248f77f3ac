import Foundation
import LlamaEngine
import ModelRegistry
@testable import ModelRegistryHTTP
import Testing

@Suite(.timeLimit(.minutes(10)))  // generous: the thread sanitizer on a busy 2-core machine
struct OpenAIRouteTests {
    @Test func modelList_hasTheV1ModelsShape() async throws {
        let fixture = try RouterFixture()
        try await fixture.registry.load("iris")
        let reply = await fixture.call(.get, "/v1/models")
        #expect(reply.json["object"] as? String == "list")
        let models = try #require(reply.json["data"] as? [[String: Any]])
        #expect(models.map { $0["id"] as? String } == ["broken", "busy", "embed", "iris", "tiny"])
        #expect(models.allSatisfy { $0["object"] as? String == "model" && $0["owned_by"] as? String == "modelregistry" })
        #expect(models.allSatisfy { ($0["created"] as? Int ?? 0) > 1_600_000_000 })
        #expect(models.map { $0["state"] as? String } == ["unloaded", "unloaded", "unloaded", "loaded", "unloaded"])
        #expect(models.map { $0["version"] as? String } == [nil, nil, nil, "1.0.0", nil], "the served version shows")
        let one = await fixture.call(.get, "/v1/models/tiny")
        #expect(one.json["id"] as? String == "tiny")
        #expect(await fixture.call(.get, "/v1/models/zzz").status == 404)
        await fixture.cleanUp()
    }

    @Test func completion_matchesTheEngine_withUsage() async throws {
        let fixture = try RouterFixture()
        let reply = await fixture.call(
            .post, "/v1/completions", #"{"model":"tiny","prompt":"the cat","max_tokens":6,"temperature":0}"#)
        #expect(reply.status == 200)
        let choice = try #require((reply.json["choices"] as? [[String: Any]])?.first)
        let expected = try await fixture.registry.withModel("tiny", as: LlamaEngine.self) { engine in
            (try await engine.complete(prompt: "the cat", options: GenerationOptions(maxTokens: 6)).text,
             try await engine.tokenize("the cat", addSpecial: true).count)
        }
        #expect(choice["text"] as? String == expected.0)
        #expect(choice["finish_reason"] as? String == "length")
        let usage = try #require(reply.json["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == expected.1)
        #expect(usage["completion_tokens"] as? Int == 6)
        #expect(usage["total_tokens"] as? Int == expected.1 + 6)
        #expect((usage["prompt_tokens_details"] as? [String: Int])?["cached_tokens"] != nil)
        #expect(try await fixture.registry.record(of: "tiny").activeLeases == 0)
        await fixture.cleanUp()
    }

    @Test func streamedCompletion_sendsEventsEndingWithDone() async throws {
        let fixture = try RouterFixture()
        let reply = await fixture.call(
            .post, "/v1/completions",
            #"{"model":"tiny","prompt":"the cat","max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}"#)
        #expect(reply.status == 200)
        #expect(reply.response.headers["content-type"] == "text/event-stream")
        let events = try await RouterFixture.events(of: reply.response)
        #expect(events.last == "[DONE]")
        let objects = events.dropLast().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == events.count - 1)
        let usage = try #require(objects.last?["usage"] as? [String: Any])
        #expect(usage["completion_tokens"] as? Int == 5)
        let finish = objects.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
        #expect(finish == ["length"])
        #expect(try await fixture.registry.record(of: "tiny").activeLeases == 0)
        await fixture.cleanUp()
    }

    @Test func clientGoingAwayMidStream_cancelsTheGenerationAndReleasesTheLease() async throws {
        let fixture = try RouterFixture()
        // Like a server adapter whose client went away: the task reading the body is cancelled mid-stream.
        let reader = try await fixture.generatingOnBusy()
        reader.cancel()
        _ = try? await reader.value
        // unload waits for the lease to end: it throws leasesStillHeld if the stream's lease stayed held.
        try await fixture.registry.unload("busy", drainTimeout: .seconds(30))
        let metrics = fixture.router.metrics.snapshot
        #expect(metrics.streamsOpen == 0)
        #expect(metrics.streamsCancelled == 1)
        await fixture.cleanUp()
    }

    @Test func promptLongerThanTheContext_is400BeforeAnyEvent() async throws {
        let fixture = try RouterFixture()
        let prompt = String(repeating: "the cat sat on the mat ", count: 40)
        for stream in [false, true] {
            let reply = await fixture.call(
                .post, "/v1/completions", #"{"model":"tiny","prompt":"\#(prompt)","max_tokens":4,"stream":\#(stream)}"#)
            #expect(reply.status == 400, "stream \(stream)")
            #expect(reply.errorMessage.contains("tiny"))
        }
        #expect(try await fixture.registry.record(of: "tiny").activeLeases == 0)
        // the refused stream never became one, and both refusals count under the model the body named
        let metrics = fixture.router.metrics.snapshot
        #expect(metrics.streamsOpen == 0)
        #expect(metrics.streamsCompleted == 0 && metrics.streamsCancelled == 0)
        #expect(metrics.requests[RequestMetrics.Key(model: "tiny", statusClass: "4xx")]?.count == 2)
        await fixture.cleanUp()
    }

    /// A body refused for its fields before its model is looked up names a model that may not exist: only registered
    /// models become metrics labels, so made-up names cannot grow `/metrics` without bound.
    @Test func refusedBodyNamingAnUnknownModel_addsNoMetricsLabel() async throws {
        let fixture = try RouterFixture()
        for (path, body) in [
            ("/v1/embeddings", #"{"model":"junk-1","input":[]}"#),
            ("/v1/completions", #"{"model":"junk-2","prompt":["a","b"]}"#),
            ("/v1/chat/completions", #"{"model":"junk-3","messages":[]}"#),
        ] {
            #expect(await fixture.call(.post, path, body).status == 400, "\(path)")
        }
        #expect(await fixture.call(.post, "/v1/embeddings", #"{"model":"tiny","input":[]}"#).status == 400)
        let labels = Set(fixture.router.metrics.snapshot.requests.keys.map(\.model))
        #expect(labels == ["tiny"])
        await fixture.cleanUp()
    }

    @Test func badRequests_areOpenAIErrorsNamingTheField() async throws {
        let fixture = try RouterFixture()
        let cases: [(String, Int, String?)] = [
            (#"{"prompt":"x"}"#, 400, "model"),
            (#"{"model":"tiny","prompt":"x","max_tokens":0}"#, 400, "max_tokens"),
            (#"{"model":"tiny","prompt":"x","max_tokens":"ten"}"#, 400, "max_tokens"),
            (#"{"model":"tiny","prompt":"x","temperature":9}"#, 400, "temperature"),
            (#"{"model":"tiny","prompt":"x","seed":-1}"#, 400, "seed"),
            (#"{"model":"tiny","prompt":{"a":1}}"#, 400, "prompt"),
            (#"{"model":"tiny","prompt":["a","b"]}"#, 400, "prompt"),
            (#"{"model":"ghost","prompt":"x"}"#, 404, "model"),
            (#"{"model":"iris","prompt":"x"}"#, 400, "model"),
            (#"{"model":"embed","prompt":"x"}"#, 400, "model"),
        ]
        for (body, status, field) in cases {
            let reply = await fixture.call(.post, "/v1/completions", body)
            #expect(reply.status == status, "\(body)")
            #expect(reply.errorField == field, "\(body)")
            let error = try #require(reply.json["error"] as? [String: Any], "\(body)")
            #expect(error["type"] is String && error["code"] is String, "\(body)")
        }
        let ghost = await fixture.call(.post, "/v1/completions", #"{"model":"ghost","prompt":"x"}"#)
        #expect(ghost.errorMessage.contains("available: broken, busy, embed, iris, tiny"))
        #expect(await fixture.call(.post, "/v1/completions", "").status == 400)
        await fixture.cleanUp()
    }

    @Test func embeddings_stringOrArray_floatOrBase64() async throws {
        let fixture = try RouterFixture()
        let (expected, batch) = try await fixture.registry.withModel("embed", as: LlamaEngine.self) { engine in
            (try await engine.embed("a dog"), try await engine.embed(["a dog", "the cat"]))
        }
        let one = await fixture.call(.post, "/v1/embeddings", #"{"model":"embed","input":"a dog"}"#)
        #expect(one.status == 200)
        let data = try #require(one.json["data"] as? [[String: Any]])
        #expect((data.first?["embedding"] as? [Double])?.map(Float.init) == expected)
        let many = await fixture.call(
            .post, "/v1/embeddings", #"{"model":"embed","input":["a dog","the cat"],"encoding_format":"base64"}"#)
        let items = try #require(many.json["data"] as? [[String: Any]])
        #expect(items.map { $0["index"] as? Int } == [0, 1])
        let bytes = try #require(Data(base64Encoded: items.first?["embedding"] as? String ?? ""))
        let decoded = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(decoded == batch[0])  // the engine's batched embeddings, several inputs in one call
        #expect(((many.json["usage"] as? [String: Int])?["prompt_tokens"] ?? 0) > 0)
        let wrongKind = await fixture.call(.post, "/v1/embeddings", #"{"model":"tiny","input":"x"}"#)
        #expect(wrongKind.status == 400)
        let badFormat = await fixture.call(.post, "/v1/embeddings", #"{"model":"embed","input":"x","encoding_format":"hex"}"#)
        #expect(badFormat.errorField == "encoding_format")
        let empty = await fixture.call(.post, "/v1/embeddings", #"{"model":"embed","input":[]}"#)
        #expect(empty.errorField == "input")
        await fixture.cleanUp()
    }
}
