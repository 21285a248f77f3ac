import Foundation
import LlamaEngine
import ModelRegistry
@testable import ModelRegistryHTTP
import Testing

@Suite(.timeLimit(.minutes(10)))  // generous: the thread sanitizer on a busy 2-core machine
struct ChatRouteTests {
    static let messages = #"[{"role":"system","content":"be brief"},{"role":"user","content":"hello"}]"#

    @Test func chatCompletion_matchesTheEngineChat_withUsage() async throws {
        let fixture = try RouterFixture()
        let reply = await fixture.call(
            .post, "/v1/chat/completions", #"{"model":"tiny","messages":\#(Self.messages),"max_tokens":6}"#)
        #expect(reply.status == 200)
        #expect(reply.json["object"] as? String == "chat.completion")
        let choice = try #require((reply.json["choices"] as? [[String: Any]])?.first)
        let message = try #require(choice["message"] as? [String: Any])
        let expected = try await fixture.registry.withModel("tiny", as: LlamaEngine.self) { engine in
            try await engine.completeChat(
                messages: [ChatMessage(role: .system, content: "be brief"), ChatMessage(role: .user, content: "hello")],
                options: GenerationOptions(maxTokens: 6))
        }
        #expect(message["role"] as? String == "assistant")
        #expect(message["content"] as? String == expected.text)
        let usage = try #require(reply.json["usage"] as? [String: Any])
        #expect(usage["completion_tokens"] as? Int == expected.usage.generatedTokens)
        #expect(usage["prompt_tokens"] as? Int == expected.usage.promptTokens)
        await fixture.cleanUp()
    }

    @Test func streamedChat_roleFirstThenDeltas_thenFinishUsageAndDone() async throws {
        let fixture = try RouterFixture()
        let reply = await fixture.call(.post, "/v1/chat/completions", """
            {"model":"tiny","messages":\(Self.messages),"max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}
            """)
        #expect(reply.status == 200)
        let events = try await RouterFixture.events(of: reply.response)
        #expect(events.last == "[DONE]")
        let chunks = events.dropLast().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
        #expect(deltas.first?["role"] as? String == "assistant")
        let finishes = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
        #expect(finishes == ["length"])
        #expect((chunks.last?["usage"] as? [String: Any])?["completion_tokens"] as? Int == 5)
        await fixture.cleanUp()
    }

    @Test func badChatRequests_nameTheField() async throws {
        let fixture = try RouterFixture()
        let cases: [(String, Int, String?)] = [
            (#"{"model":"tiny"}"#, 400, "messages"),
            (#"{"model":"tiny","messages":[]}"#, 400, "messages"),
            (#"{"model":"tiny","messages":[{"role":"wizard","content":"x"}]}"#, 400, "messages[0].role"),
            (#"{"model":"tiny","messages":[{"role":"user"}]}"#, 400, "messages[0].content"),
            (#"{"model":"tiny","messages":[{"role":"user","content":"x"}],"logit_bias":{"abc":1}}"#, 400, "logit_bias"),
            (#"{"model":"tiny","messages":[{"role":"user","content":"x"}],"frequency_penalty":5}"#, 400, "frequency_penalty"),
            (#"{"model":"embed","messages":[{"role":"user","content":"x"}]}"#, 400, "model"),
            (#"{"model":"busy","messages":[{"role":"user","content":"x"}]}"#, 400, "model"),  // no chat template
        ]
        for (body, status, field) in cases {
            let reply = await fixture.call(.post, "/v1/chat/completions", body)
            #expect(reply.status == status, "\(body): \(reply.text)")
            #expect(reply.errorField == field, "\(body): \(reply.text)")
        }
        await fixture.cleanUp()
    }

    @Test func fullQueue_is429WithRetryAfter() async throws {
        let fixture = try RouterFixture()
        let reader = try await fixture.generatingOnBusy()  // the only sequence is generating now
        let refused = await fixture.call(.post, "/v1/completions", #"{"model":"busy","prompt":"b","max_tokens":2}"#)
        #expect(refused.status == 429)
        #expect(refused.response.headers["retry-after"] == "1")
        #expect(refused.errorMessage.contains("busy"))
        reader.cancel()
        _ = try? await reader.value
        try await fixture.registry.unload("busy", drainTimeout: .seconds(30))
        await fixture.cleanUp()
    }
}
