import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// `serve` driven by clients nobody here wrote: the official `openai` package and `tritonclient[http]`.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ClientTests {
    static func runClient(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let path = NativeFixtures.packageRoot.appendingPathComponent("Tests/ServeTests/Clients/\(script)").path
        let outcome = try await ChildProcess.run(NativeFixtures.python, [path] + arguments)
        try #require(outcome.status == 0, "\(script) failed: \(outcome.stderr)")
        let line = try #require(outcome.lines.last { !$0.isEmpty })
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func openAIPackage_listsCompletesChatsStreamsAndEmbeds() async throws {
        let server = try await ServeProcess.start()
        let seen = try await Self.runClient("openai_client.py", ["\(server.baseURL)/v1", "tiny", "embed", "--chat"])
        #expect(seen["models"] as? [String] == ["embed", "iris", "mlp", "tiny"])
        let completion = try #require(seen["completion"] as? [String: Any])
        #expect(completion["completion_tokens"] as? Int == 8)
        #expect(completion["finish_reason"] as? String == "length")
        #expect((completion["prompt_tokens"] as? Int ?? 0) > 0)
        let streamed = try #require(seen["streamed_completion"] as? [String: Any])
        #expect(streamed["text"] as? String == completion["text"] as? String)  // greedy: the same text
        #expect(streamed["finish_reason"] as? String == "length")
        let chat = try #require(seen["chat"] as? [String: Any])
        #expect(chat["role"] as? String == "assistant")
        #expect(chat["completion_tokens"] as? Int == 8)
        let streamedChat = try #require(seen["streamed_chat"] as? [String: Any])
        #expect(streamedChat["content"] as? String == chat["content"] as? String)  // greedy: the same reply
        #expect((streamedChat["events"] as? Int ?? 0) > 0)
        let embeddings = try #require(seen["embeddings"] as? [String: Any])
        #expect(embeddings["count"] as? Int == 2)
        #expect(embeddings["dimensions"] as? [Int] == [64, 64])
        #expect(embeddings["first_matches_float_form"] as? Bool == true)
        let unknown = try #require(seen["unknown_model"] as? [String: Any])
        #expect(unknown["status"] as? Int == 404)
        #expect((unknown["message"] as? String)?.contains("available: embed, iris, mlp, tiny") == true)
        #expect((seen["wrong_kind"] as? [String: Any])?["status"] as? Int == 400)
        let stopped = await server.stop()
        #expect(stopped.status == 0)
        #expect(stopped.output.contains("serve: stopped"))
    }

    @Test func tritonClient_readinessMetadataAndInfer_matchOnnxRuntime() async throws {
        let server = try await ServeProcess.start()
        let seen = try await Self.runClient("triton_client.py", [
            "127.0.0.1:\(server.port)", "iris", NativeFixtures.model("logreg_iris.onnx").path, "mlp", server.mlpFile.path,
        ])
        #expect(seen["live"] as? Bool == true)
        #expect(seen["server_ready"] as? Bool == true)
        #expect(seen["iris_ready_before"] as? Bool == false)
        #expect(seen["iris_ready_after"] as? Bool == true)
        let metadata = try #require(seen["iris_metadata"] as? [String: Any])
        #expect((metadata["inputs"] as? [[Any]])?.first?.first as? String == "float_input")
        #expect((seen["iris"] as? [String: Any])?["matches_onnxruntime"] as? Bool == true)
        #expect((seen["mlp"] as? [String: Any])?["shape"] as? [Int] == [2, 10])
        #expect((seen["mlp"] as? [String: Any])?["matches_onnxruntime"] as? Bool == true)
        #expect((seen["unknown_model"] as? [String: Any])?["status"] as? String == "404")
        #expect((seen["bad_shape"] as? [String: Any])?["status"] as? String == "400")
        let stopped = await server.stop()
        #expect(stopped.status == 0)
    }

    @Test func tritonClient_everyDatatype_asJSONAndAsBinaryData_matchesOnnxRuntime() async throws {
        let models = NativeFixtures.packageRoot.appendingPathComponent("Tests/OnnxRuntimeEngineTests/Fixtures/models")
        let types = [
            "bool", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float16", "bfloat16",
            "float", "double", "string",
        ]
        var files = Dictionary(uniqueKeysWithValues: types.map { ("t-\($0)", models.appendingPathComponent("types/\($0).onnx").path) })
        files["label-encoder"] = models.appendingPathComponent("label_encoder.onnx").path
        let server = try await ServeProcess.start(tensorModels: files)
        let seen = try await Self.runClient(
            "triton_types.py",
            ["127.0.0.1:\(server.port)"] + types.map { "\($0)=t-\($0)=\(files["t-\($0)"]!)" }
                + ["encoder=label-encoder=\(files["label-encoder"]!)"])
        let datatypes = [
            "bool": "BOOL", "uint8": "UINT8", "int8": "INT8", "uint16": "UINT16", "int16": "INT16", "uint32": "UINT32",
            "int32": "INT32", "uint64": "UINT64", "int64": "INT64", "float16": "FP16", "bfloat16": "BF16", "float": "FP32",
            "double": "FP64", "string": "BYTES", "encoder": "BYTES",
        ]
        for (kind, datatype) in datatypes {
            // tritonclient sends BF16 only as binary data
            for form in kind == "bfloat16" ? ["binary"] : ["json", "binary"] {
                let entry = seen["\(kind)/\(form)"] as? [String: Any]
                #expect(entry?["datatype"] as? String == datatype, "\(kind)/\(form)")
                #expect(entry?["matches_onnxruntime"] as? Bool == true, "\(kind)/\(form)")
            }
        }
        #expect(seen.count == 2 * datatypes.count - 1)
        for form in ["json", "binary"] {
            #expect((seen["encoder/\(form)"] as? [String: Any])?["output"] as? [Int] == [2, 0, -1, 1])
        }
        let stopped = await server.stop()
        #expect(stopped.status == 0)
    }
}
