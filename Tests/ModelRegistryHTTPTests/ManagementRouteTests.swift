import Foundation
import ModelRegistry
@testable import ModelRegistryHTTP
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(10)))  // generous: the thread sanitizer on a busy 2-core machine
struct ManagementRouteTests {
    @Test func registerVersion_creates201_thenSameVersionIs409() async throws {
        let fixture = try RouterFixture()
        let body = #"{"name":"iris","version":"1.0.0","path":"\#(NativeFixtures.model("logreg_iris.onnx").path)","type":"classifier"}"#
        let created = await fixture.call(.post, "/api/v1/registry/models", body)
        #expect(created.status == 201)
        #expect(created.json["version"] as? String == "1.0.0")
        #expect(created.json["format"] as? String == "onnx")
        let duplicate = await fixture.call(.post, "/api/v1/registry/models", body)
        #expect(duplicate.status == 409)
        #expect(duplicate.errorMessage.contains("iris 1.0.0"))
        await fixture.cleanUp()
    }

    @Test func registerVersion_malformedBodies_are400NamingTheField() async throws {
        let fixture = try RouterFixture()
        let missingPath = await fixture.call(.post, "/api/v1/registry/models", #"{"name":"iris","version":"1.0.0"}"#)
        #expect(missingPath.status == 400)
        #expect(missingPath.errorField == "path")
        let badVersion = await fixture.call(.post, "/api/v1/registry/models", #"{"name":"iris","version":"one","path":"/x.onnx"}"#)
        #expect(badVersion.status == 400)
        #expect(badVersion.errorField == "version")
        let wrongType = await fixture.call(.post, "/api/v1/registry/models", #"{"name":7,"version":"1.0.0","path":"/x"}"#)
        #expect(wrongType.status == 400)
        #expect(wrongType.errorField == "name")
        let notJSON = await fixture.call(.post, "/api/v1/registry/models", "{name")
        #expect(notJSON.status == 400)
        let badStage = await fixture.call(
            .post, "/api/v1/registry/models", #"{"name":"a","version":"1.0.0","path":"/x.onnx","stage":"gold"}"#)
        #expect(badStage.errorField == "stage")
        await fixture.cleanUp()
    }

    @Test func listVersions_filtersByName() async throws {
        let fixture = try RouterFixture()
        for (name, version) in [("iris", "1.0.0"), ("iris", "1.1.0"), ("other", "2.0.0")] {
            let reply = await fixture.call(
                .post, "/api/v1/registry/models", #"{"name":"\#(name)","version":"\#(version)","path":"/m/\#(name).onnx"}"#)
            #expect(reply.status == 201)
        }
        let all = await fixture.call(.get, "/api/v1/registry/models")
        #expect((all.json["versions"] as? [Any])?.count == 3)
        let iris = await fixture.call(.get, "/api/v1/registry/models?name=iris")
        let versions = try #require(iris.json["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? String } == ["1.0.0", "1.1.0"])
        await fixture.cleanUp()
    }

    @Test func activate_promotesTheVersionAndServesIt_unknownIs404() async throws {
        let fixture = try RouterFixture()
        let path = NativeFixtures.model("logreg_iris.onnx").path
        _ = await fixture.call(.post, "/api/v1/registry/models", #"{"name":"flowers","version":"1.0.0","path":"\#(path)"}"#)
        let unknownVersion = await fixture.call(.put, "/api/v1/registry/models/flowers/9.9.9/activate")
        #expect(unknownVersion.status == 404)
        #expect(unknownVersion.errorMessage.contains("1.0.0"))
        let unknownName = await fixture.call(.put, "/api/v1/registry/models/nothing/1.0.0/activate")
        #expect(unknownName.status == 404)
        let activated = await fixture.call(.put, "/api/v1/registry/models/flowers/1.0.0/activate")
        #expect(activated.status == 200)
        #expect((activated.json["version"] as? [String: Any])?["stage"] as? String == "production")
        #expect((activated.json["model"] as? [String: Any])?["name"] as? String == "flowers")
        let served = await fixture.call(.post, "/v2/models/flowers/infer", IrisRequest.body)
        #expect(served.status == 200)
        await fixture.cleanUp()
    }

    @Test func catalogRoutes_withoutCatalog_are404() async throws {
        let fixture = try RouterFixture(withCatalog: false)
        let reply = await fixture.call(.get, "/api/v1/registry/models")
        #expect(reply.status == 404)
        #expect(reply.errorMessage.contains("catalog"))
        await fixture.cleanUp()
    }

    @Test func liveModels_listGetLoadUnload() async throws {
        let fixture = try RouterFixture()
        let list = await fixture.call(.get, "/api/v1/models")
        let names = (list.json["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["broken", "busy", "embed", "iris", "tiny"])
        let loaded = await fixture.call(.post, "/api/v1/models/iris/load")
        #expect(loaded.status == 200)
        #expect(loaded.json["state"] as? String == "loaded")
        let one = await fixture.call(.get, "/api/v1/models/iris")
        #expect(one.json["activeLeases"] as? Int == 0)
        #expect(one.json["loadCount"] as? Int == 1)
        let unloaded = await fixture.call(.post, "/api/v1/models/iris/unload")
        #expect(unloaded.json["state"] as? String == "unloaded")
        let unknown = await fixture.call(.get, "/api/v1/models/nope")
        #expect(unknown.status == 404)
        #expect(unknown.errorMessage.contains("available: broken, busy, embed, iris, tiny"))
        await fixture.cleanUp()
    }

    @Test func failedLoad_is503WithReasonAndRetryTime() async throws {
        let fixture = try RouterFixture()
        let first = await fixture.call(.post, "/api/v1/models/broken/load")
        #expect(first.status == 503)
        #expect(first.errorMessage.contains("missing.onnx"))
        #expect(first.response.headers["retry-after"] != nil)
        let again = await fixture.call(.post, "/v2/models/broken/infer", IrisRequest.body)
        #expect(again.status == 503)
        #expect(Int(again.response.headers["retry-after"] ?? "") ?? 0 >= 1)
        let record = await fixture.call(.get, "/api/v1/models/broken")
        #expect(record.json["state"] as? String == "failed")
        #expect((record.json["error"] as? String)?.contains("missing.onnx") == true)
        await fixture.cleanUp()
    }

    @Test func health_ready_andMetrics() async throws {
        let fixture = try RouterFixture(preloadTiny: true)
        #expect(await fixture.call(.get, "/health").status == 200)
        let notReady = await fixture.call(.get, "/ready")
        #expect(notReady.status == 503)
        #expect(notReady.errorMessage.contains("tiny"))
        try await fixture.registry.loadPreloaded()
        #expect(await fixture.call(.get, "/ready").status == 200)
        #expect(await fixture.call(.post, "/v2/models/iris/infer", IrisRequest.body).status == 200)
        #expect(await fixture.call(.post, "/v2/models/iris/infer", "{}").status == 400)
        let metrics = await fixture.call(.get, "/metrics")
        #expect(metrics.response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        for line in [
            #"modelregistry_models{state="loaded"} 2"#, "modelregistry_loads_total 2", #"modelregistry_leases{model="iris"} 0"#,
            #"modelregistry_http_requests_total{model="iris",status="2xx"} 1"#,
            #"modelregistry_http_requests_total{model="iris",status="4xx"} 1"#, "modelregistry_load_queue_depth 0",
            "modelregistry_evictions_total 0", #"modelregistry_downloads{phase="active"} 0"#,
            #"modelregistry_model_version_info{model="iris",version="1.0.0"} 1"#,
        ] {
            #expect(metrics.text.contains(line + "\n"), "\(line)")
        }
        await fixture.cleanUp()
    }

    @Test func unknownRoute404_wrongMethod405_bodyOverLimit413() async throws {
        let fixture = try RouterFixture(maxBodyBytes: 64)
        let missing = await fixture.call(.get, "/nowhere")
        #expect(missing.status == 404)
        let wrongMethod = await fixture.call(.delete, "/v1/models")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.response.headers["allow"] == "GET")
        let large = await fixture.call(.post, "/v1/completions", String(repeating: " ", count: 65))
        #expect(large.status == 413)
        #expect(large.json["error"] is [String: Any])  // OpenAI's shape on an OpenAI path
        let largeKServe = await fixture.call(.post, "/v2/models/iris/infer", String(repeating: " ", count: 65))
        #expect(largeKServe.status == 413)
        #expect(largeKServe.json["error"] is String)  // KServe's shape
        await fixture.cleanUp()
    }

    @Test func errorMapping_queueFullIs429_capacityIs503() {
        let full = HTTPError.from(RegistryError.queueFull(name: "iris", capacity: 8))
        #expect(full.status == 429)
        #expect(full.retryAfterSeconds == 1)
        let cooldown = HTTPError.from(
            RegistryError.retryCooldown(name: "m", retryIn: .milliseconds(2500), failures: 2, lastError: "bad file"))
        #expect(cooldown.status == 503)
        #expect(cooldown.retryAfterSeconds == 3)
        #expect(HTTPError.from(RegistryError.engineTypeMismatch(name: "m", expected: "A", actual: "B")).status == 400)
        #expect(HTTPError.from(RegistryError.versionAlreadyExists(name: "m", version: "1.0.0")).status == 409)
    }
}

/// A valid KServe request for logreg_iris.onnx: three rows of two features.
enum IrisRequest {
    static let body = #"{"inputs":[{"name":"float_input","shape":[3,2],"datatype":"FP32","data":[[5.1,3.5],[6.7,3.0],[4.9,3.1]]}]}"#
}
