import Foundation
import ModelRegistry
@testable import ModelRegistryHTTP
import OnnxRuntimeEngine
import Testing

@Suite(.timeLimit(.minutes(10)))  // generous: the thread sanitizer on a busy 2-core machine
struct KServeRouteTests {
    @Test func serverMetadataAndHealth() async throws {
        let fixture = try RouterFixture()
        let server = await fixture.call(.get, "/v2")
        #expect(server.json["name"] as? String == "modelregistry")
        #expect(server.json["extensions"] as? [String] == ["binary_tensor_data"])
        #expect(await fixture.call(.get, "/v2/health/live").status == 200)
        #expect(await fixture.call(.get, "/v2/health/ready").status == 200)
        await fixture.cleanUp()
    }

    @Test func modelMetadata_andReadiness() async throws {
        let fixture = try RouterFixture()
        #expect(await fixture.call(.get, "/v2/models/iris/ready").status == 503)
        let metadata = await fixture.call(.get, "/v2/models/iris")
        #expect(metadata.status == 200)
        let inputs = try #require(metadata.json["inputs"] as? [[String: Any]])
        #expect(inputs.first?["name"] as? String == "float_input")
        #expect(inputs.first?["datatype"] as? String == "FP32")
        #expect(inputs.first?["shape"] as? [Int] == [3, 2])
        #expect(metadata.json["versions"] as? [String] == ["1.0.0"])
        let outputs = try #require(metadata.json["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["datatype"] as? String } == ["INT64", "FP32"])
        #expect(await fixture.call(.get, "/v2/models/iris/ready").status == 200)
        #expect(await fixture.call(.get, "/v2/models/iris/versions/1.0.0/ready").status == 200)
        await fixture.cleanUp()
    }

    @Test func infer_matchesTheEngineCalledDirectly() async throws {
        let fixture = try RouterFixture()
        for path in ["/v2/models/iris/infer", "/v2/models/iris/versions/1.0.0/infer"] {
            let reply = await fixture.call(.post, path, IrisRequest.body)
            #expect(reply.status == 200)
            #expect(reply.json["model_name"] as? String == "iris")
            #expect(reply.json["model_version"] as? String == "1.0.0")
            let outputs = try #require(reply.json["outputs"] as? [[String: Any]])
            let direct = try await fixture.registry.withModel("iris", as: OnnxRuntimeEngine.self) { engine in
                try await engine.run(["float_input": Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.7, 3.0, 4.9, 3.1])])
            }
            let label = try #require(outputs.first { $0["name"] as? String == "label" })
            #expect((label["data"] as? [Int])?.map(Int64.init) == direct["label"]?.tensor?.int64s)
            #expect(label["shape"] as? [Int] == [3])
            let probabilities = try #require(outputs.first { $0["name"] as? String == "probabilities" })
            let rows = try #require(direct["probabilities"]?.sequence)
            let maps = rows.compactMap { $0.int64FloatMap }
            let expected = maps.flatMap { map in map.keys.sorted().map { map[$0]! } }
            #expect((probabilities["data"] as? [Double])?.map(Float.init) == expected)
            #expect(probabilities["shape"] as? [Int] == [3, 3])
        }
        let onlyLabel = await fixture.call(
            .post, "/v2/models/iris/infer",
            #"{"id":"r1","inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[1,2,3,4,5,6]}],"outputs":[{"name":"label"}]}"#)
        #expect((onlyLabel.json["outputs"] as? [[String: Any]])?.map { $0["name"] as? String } == ["label"])
        #expect(onlyLabel.json["id"] as? String == "r1")
        await fixture.cleanUp()
    }

    @Test func badInferRequests_areKServeErrors() async throws {
        let fixture = try RouterFixture()
        let input = #"{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[1,2,3,4,5,6]}"#
        let cases: [(String, String, Int, String)] = [
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP8","data":[1,2,3,4,5,6]}]}"#, 400, "use one of BOOL, UINT8"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[1,2,3]}]}"#, 400, "inputs[0].data"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,-2],"datatype":"FP32","data":[1]}]}"#, 400, "inputs[0].shape"),
            ("iris", #"{"inputs":[{"shape":[3,2],"datatype":"FP32","data":[1,2,3,4,5,6]}]}"#, 400, "inputs[0].name"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":["a"]}]}"#, 400, "inputs[0].data"),
            // a string is a number only when it is one of the names JSON lacks, spelled as the responses spell them
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[1,2,3,4,5,"nan"]}]}"#, 400, "\"nan\" is not a valid FP32 value"),
            ("iris", #"{"outputs":[]}"#, 400, "inputs"),
            ("iris", #"{"inputs":[\#(input),\#(input)]}"#, 400, "inputs[1].name"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5,6]}]}"#, 400, "given tensor(float)[2, 3]"),
            ("iris", #"{"inputs":[{"name":"other","shape":[3,2],"datatype":"FP32","data":[1,2,3,4,5,6]}]}"#, 400, "other"),
            ("iris", #"{"inputs":[\#(input)],"outputs":[{"name":"nope"}]}"#, 400, "nope"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"INT64","data":[1,2,3,4,5,6]}]}"#, 400, "int64"),
            ("tiny", #"{"inputs":[\#(input)]}"#, 400, "onnxruntime"),
            // shapes whose element count overflows Int: 2^62 × 4 wraps to 0, 6148914691236517206 × 3 wraps to 2
            ("iris", #"{"inputs":[{"name":"float_input","shape":[4611686018427387904,4],"datatype":"FP32","data":[]}]}"#, 400, "inputs[0].shape"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[6148914691236517206,3],"datatype":"FP32","data":[1,2]}]}"#, 400, "inputs[0].shape"),
            // numbers the datatype cannot hold as given are refused, not truncated or read as 0 or 1
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"INT64","data":[1,2,3,4,5,2.7]}]}"#, 400, "inputs[0].data[5]"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"INT64","data":[1e300,2,3,4,5,6]}]}"#, 400, "1e+300 is not a valid INT64 value"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[1,2,true,4,5,6]}]}"#, 400, "true is not a valid FP32 value"),
            ("iris", #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[1,2,3,4,1e39,6]}]}"#, 400, "inputs[0].data[4]"),
            ("ghost", #"{"inputs":[\#(input)]}"#, 404, "available: broken, busy, embed, iris, tiny"),
        ]
        for (model, body, status, mention) in cases {
            let reply = await fixture.call(.post, "/v2/models/\(model)/infer", body)
            #expect(reply.status == status, "\(body)")
            let message = try #require(reply.json["error"] as? String, "\(body)")
            #expect(message.contains(mention), "\(body): \(message)")
        }
        #expect(try await fixture.registry.record(of: "iris").activeLeases == 0)
        await fixture.cleanUp()
    }

    @Test func aVersionTheModelDoesNotServe_is404NamingTheServedVersion() async throws {
        let fixture = try RouterFixture()
        for path in ["/v2/models/iris/versions/9.9.9/infer", "/v2/models/iris/versions/1/infer"] {
            let reply = await fixture.call(.post, path, IrisRequest.body)
            #expect(reply.status == 404, "\(path)")
            #expect(reply.errorMessage.contains(#"model "iris" has no version"#), "\(path)")
            #expect(reply.errorMessage.contains("it serves version 1.0.0"), "\(path)")
        }
        #expect(await fixture.call(.get, "/v2/models/iris/versions/9.9.9").status == 404)
        #expect(await fixture.call(.get, "/v2/models/iris/versions/9.9.9/ready").status == 404)
        #expect(await fixture.registry.configurations.map(\.name).sorted() == ["broken", "busy", "embed", "iris", "tiny"])
        await fixture.cleanUp()
    }

    @Test func inputsOnnxRuntimeRefusesAtRunTime_are400() {
        let refused = OnnxRuntimeError.runFailed(
            model: "m", status: OnnxRuntimeStatus(code: .invalidArgument, message: "Got invalid dimensions for input"))
        #expect(HTTPError.from(refused, mappers: RegistryRouter.errorMappers).status == 400)
        let failed = OnnxRuntimeError.runFailed(model: "m", status: OnnxRuntimeStatus(code: .fail, message: "kernel failed"))
        #expect(HTTPError.from(failed, mappers: RegistryRouter.errorMappers).status == 500)
    }
}
