import Foundation
import ModelRegistry
import ModelRegistryEngines
@testable import ModelRegistryHTTP
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// Every KServe datatype through `POST /v2/models/{name}/infer` on the engine tests' generated models
/// (`types/<type>.onnx`: `Y = Identity(X)`, `D = Cast(X, to: double)`), compared with what onnxruntime's Python API
/// returned for the same input (`reference.json`, written by `Scripts/make_onnx_test_models.py`).
@Suite(.timeLimit(.minutes(10)))  // generous: the thread sanitizer on a busy 2-core machine
struct KServeDatatypeTests {
    static let models = NativeFixtures.packageRoot.appendingPathComponent("Tests/OnnxRuntimeEngineTests/Fixtures/models")

    /// The KServe name of each generated type model's element type.
    static let datatypes: [(type: String, datatype: String)] = [
        ("bool", "BOOL"), ("uint8", "UINT8"), ("int8", "INT8"), ("uint16", "UINT16"), ("int16", "INT16"),
        ("uint32", "UINT32"), ("int32", "INT32"), ("uint64", "UINT64"), ("int64", "INT64"), ("float16", "FP16"),
        ("bfloat16", "BF16"), ("float", "FP32"), ("double", "FP64"), ("string", "BYTES"),
    ]

    /// A router over one model per generated type (`t-<type>`) and the string models.
    struct Fixture {
        let registry: ModelRegistry
        let router: RegistryRouter

        init() {
            var models = KServeDatatypeTests.datatypes.map { type, _ in
                ModelConfiguration(
                    name: "t-\(type)", engine: .onnxruntime, modelType: .tensor,
                    path: KServeDatatypeTests.models.appendingPathComponent("types/\(type).onnx").path)
            }
            models.append(ModelConfiguration(
                name: "label-encoder", engine: .onnxruntime, modelType: .tensor,
                path: KServeDatatypeTests.models.appendingPathComponent("label_encoder.onnx").path))
            registry = ModelRegistry(factory: .builtIn, models: models)
            router = RegistryRouter(registry: registry)
        }

        /// The reply's body, checked to be a 200.
        func infer(_ model: String, _ body: String) async throws -> Data {
            let response = await router.handle(
                HTTPRequest(method: .post, path: "/v2/models/\(model)/infer", body: Data(body.utf8)))
            let data = response.bodyBytes ?? Data()
            try #require(response.status == 200, "\(model): \(String(decoding: data, as: UTF8.self))")
            return data
        }

        /// The reply's status and KServe's `error` message.
        func refusal(_ model: String, _ body: String) async -> (status: Int, message: String) {
            let response = await router.handle(
                HTTPRequest(method: .post, path: "/v2/models/\(model)/infer", body: Data(body.utf8)))
            let json = (try? JSONSerialization.jsonObject(with: response.bodyBytes ?? Data())) as? [String: Any]
            return (response.status, json?["error"] as? String ?? "")
        }
    }

    /// One output of a reply, its data decoded as `Element`.
    struct Output<Element: Decodable>: Decodable {
        let name: String
        let datatype: String
        let shape: [Int]
        let data: [Element]
    }

    struct Reply<Element: Decodable>: Decodable {
        let outputs: [Output<Element>]
    }

    /// A type's reference case as `Scripts/make_onnx_test_models.py` recorded it.
    struct Case<Element: Decodable>: Decodable {
        let shape: [Int]
        let input: [Element]
        let identity: [Element]
        let asDouble: [Double]
    }

    static func reference<Element: Decodable>(_ type: String, as: Element.Type) throws -> Case<Element> {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: models.appendingPathComponent("reference.json")))
        let types = try #require((document as? [String: Any])?["types"] as? [String: Any])
        let entry = try JSONSerialization.data(withJSONObject: try #require(types[type]))
        return try decoder.decode(Case<Element>.self, from: entry)
    }

    /// Sends `input` as the type's datatype and returns the `Y` (identity, decoded as `Element`) and `D` (as double)
    /// outputs.
    static func roundTrip<Element: Decodable>(
        _ fixture: Fixture, type: String, datatype: String, shape: [Int], input: String, as: Element.Type
    ) async throws -> (identity: Output<Element>, asDouble: Output<Double>) {
        let body = { (output: String) in
            #"{"inputs":[{"name":"X","shape":\#(shape),"datatype":"\#(datatype)","data":\#(input)}],"outputs":[{"name":"\#(output)"}]}"#
        }
        let identity = try JSONDecoder().decode(Reply<Element>.self, from: try await fixture.infer("t-\(type)", body("Y")))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let asDouble = try decoder.decode(Reply<Double>.self, from: try await fixture.infer("t-\(type)", body("D")))
        return (try #require(identity.outputs.first), try #require(asDouble.outputs.first))
    }

    static func json(_ values: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }

    /// Sends a type's reference input as given, checks that `Y` is the reference identity, and returns `D`.
    static func identityMatches<Element: Codable & Equatable>(
        _ fixture: Fixture, type: String, datatype: String, as: Element.Type
    ) async throws -> Output<Double> {
        let reference = try Self.reference(type, as: Element.self)
        let (y, d) = try await Self.roundTrip(
            fixture, type: type, datatype: datatype, shape: reference.shape, input: try Self.json(reference.input),
            as: Element.self)
        #expect(y.data == reference.identity, "\(type)")
        #expect(y.datatype == datatype && y.shape == reference.shape, "\(type)")
        return d
    }

    @Test func everyDatatype_returnsWhatOnnxRuntimesPythonAPIReturns() async throws {
        #expect(Self.datatypes.map(\.datatype).sorted() == KServeDatatype.supported.map(\.name).sorted())
        let fixture = Fixture()
        for (type, datatype) in Self.datatypes {
            let asDouble: Output<Double>
            switch type {
            case "bool": asDouble = try await Self.identityMatches(fixture, type: type, datatype: datatype, as: Bool.self)
            case "uint8", "uint16", "uint32", "uint64":
                asDouble = try await Self.identityMatches(fixture, type: type, datatype: datatype, as: UInt64.self)
            case "int8", "int16", "int32", "int64":
                asDouble = try await Self.identityMatches(fixture, type: type, datatype: datatype, as: Int64.self)
            case "double": asDouble = try await Self.identityMatches(fixture, type: type, datatype: datatype, as: Double.self)
            case "string": asDouble = try await Self.identityMatches(fixture, type: type, datatype: datatype, as: String.self)
            default:
                // float16, bfloat16, float: sent as the numbers ORT read the inputs as (float16 and bfloat16 are
                // recorded as raw bits), which each round to exactly those bits; the identity comes back as the
                // same numbers
                let reference = try Self.reference(type, as: Double.self)
                let (y, d) = try await Self.roundTrip(
                    fixture, type: type, datatype: datatype, shape: reference.shape,
                    input: try Self.json(reference.asDouble), as: Double.self)
                #expect(y.data.map { Float($0) } == reference.asDouble.map { Float($0) }, "\(type)")
                #expect(y.datatype == datatype && y.shape == reference.shape, "\(type)")
                asDouble = d
            }
            let expected = try Self.reference(type, as: AnyDecodable.self)
            #expect(asDouble.data == expected.asDouble, "\(type)")
            #expect(asDouble.datatype == "FP64" && asDouble.shape == expected.shape, "\(type)")
        }
        await fixture.registry.shutdown()
    }

    @Test func bytesInput_throughALabelEncoder_matchesOnnxRuntimesPythonAPI() async throws {
        let fixture = Fixture()
        struct Strings: Decodable {
            struct Encoder: Decodable {
                let input: [String]
                let output: [Int64]
            }
            let labelEncoder: Encoder
        }
        let document = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.models.appendingPathComponent("reference.json")))
        let strings = try JSONSerialization.data(withJSONObject: try #require((document as? [String: Any])?["strings"]))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let reference = try decoder.decode(Strings.self, from: strings).labelEncoder
        let body = #"{"inputs":[{"name":"X","shape":[\#(reference.input.count)],"datatype":"BYTES","data":\#(try Self.json(reference.input))}]}"#
        let reply = try JSONDecoder().decode(Reply<Int64>.self, from: try await fixture.infer("label-encoder", body))
        let output = try #require(reply.outputs.first)
        #expect(output.datatype == "INT64")
        #expect(output.data == reference.output)
        await fixture.registry.shutdown()
    }

    @Test func nanAndInfinities_goInAndComeBackAsTheStringsJSONLacksNumbersFor() async throws {
        let fixture = Fixture()
        // as strings (what the responses write), and as the bare tokens Python's json and rapidjson write
        for (type, datatype, input) in [
            ("float", "FP32", #"["NaN","Infinity","-Infinity",1.5,-2,0]"#), ("double", "FP64", "[NaN,Infinity,-Infinity,1.5,-2,0]"),
            ("float16", "FP16", #"["NaN","Infinity","-Infinity",1.5,-2,0]"#), ("bfloat16", "BF16", "[NaN,Infinity,-Infinity,1.5,-2,0]"),
            ("float", "FP32", "[NaN,Infinity,-Infinity,1.5,-2,0]"),
        ] {
            let (y, d) = try await Self.roundTrip(
                fixture, type: type, datatype: datatype, shape: [2, 3], input: input, as: KServeElement.self)
            #expect(Array(y.data.prefix(3)) == [.string("NaN"), .string("Infinity"), .string("-Infinity")], "\(type)")
            #expect(y.data[3].double == 1.5 && y.data[4].double == -2 && y.data[5].double == 0, "\(type)")
            #expect(d.data[0].isNaN && d.data[1] == .infinity && d.data[2] == -.infinity, "\(type)")
        }
        await fixture.registry.shutdown()
    }

    @Test func elementsADatatypeCannotHold_are400sNamingTheElement() async throws {
        let fixture = Fixture()
        let cases: [(type: String, datatype: String, data: String, mention: String)] = [
            ("uint8", "UINT8", "[0,1,2,3,4,256]", #"field "inputs[0].data[5]": 256 is not a valid UINT8 value"#),
            ("uint16", "UINT16", "[-1,1,2,3,4,5]", #"field "inputs[0].data[0]": -1 is not a valid UINT16 value"#),
            ("int8", "INT8", "[0,1,2,3,-129,5]", #"field "inputs[0].data[4]": -129 is not a valid INT8 value"#),
            ("int32", "INT32", "[0,1,2.5,3,4,5]", #"field "inputs[0].data[2]": 2.5 is not a valid INT32 value"#),
            ("uint64", "UINT64", "[0,1,2,3,4,18446744073709551616]", #"field "inputs[0].data[5]""#),
            ("bool", "BOOL", "[true,false,1,true,false,true]", #"field "inputs[0].data[2]": 1 is not a valid BOOL value"#),
            ("string", "BYTES", #"["a","b",3,"d","e","f"]"#, #"field "inputs[0].data[2]": 3 is not a valid BYTES value"#),
            ("float16", "FP16", "[0,1,2,3,70000,5]", #"field "inputs[0].data[4]": 70000 is not a valid FP16 value"#),
            ("bfloat16", "BF16", "[0,1,2,3,3.4e38,5]", #"field "inputs[0].data[4]""#),
            ("float", "FP32", #"[0,1,2,3,"Inf",5]"#, #"field "inputs[0].data[4]": "Inf" is not a valid FP32 value"#),
        ]
        for (type, datatype, data, mention) in cases {
            let (status, message) = await fixture.refusal(
                "t-\(type)", #"{"inputs":[{"name":"X","shape":[2,3],"datatype":"\#(datatype)","data":\#(data)}]}"#)
            #expect(status == 400, "\(type): \(message)")
            #expect(message.contains(mention), "\(type): \(message)")
        }
        await fixture.registry.shutdown()
    }
    /// A binary-data request: the JSON header, then `binary`, with the header's length in its field.
    static func binaryRequest(_ model: String, json: String, binary: Data) -> HTTPRequest {
        let header = Data(json.utf8)
        return HTTPRequest(
            method: .post, path: "/v2/models/\(model)/infer",
            headers: ["Inference-Header-Content-Length": "\(header.count)"], body: header + binary)
    }

    @Test func binaryData_inAndOut_carriesTheSameTensorsAsJSON() async throws {
        let fixture = Fixture()
        // int32 in as bytes, Y back as bytes and D as JSON
        let values: [Int32] = [-2_147_483_648, -1, 0, 1, 65536, 2_147_483_647]
        let bytes = values.withUnsafeBytes { Data($0) }
        let json = #"{"inputs":[{"name":"X","shape":[2,3],"datatype":"INT32","parameters":{"binary_data_size":24}}],"#
            + #""outputs":[{"name":"Y","parameters":{"binary_data":true}},{"name":"D"}]}"#
        let response = await fixture.router.handle(Self.binaryRequest("t-int32", json: json, binary: bytes))
        try #require(response.status == 200, "\(String(decoding: response.bodyBytes ?? Data(), as: UTF8.self))")
        let body = try #require(response.bodyBytes)
        let headerLength = try #require(response.headers["inference-header-content-length"].flatMap { Int($0) })
        let header = try #require(try JSONSerialization.jsonObject(with: body.prefix(headerLength)) as? [String: Any])
        let outputs = try #require(header["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["name"] as? String } == ["Y", "D"])
        #expect((outputs[0]["parameters"] as? [String: Any])?["binary_data_size"] as? Int == 24)
        #expect(outputs[0]["data"] == nil)
        #expect((outputs[1]["data"] as? [Double]) == values.map(Double.init))
        #expect(body.dropFirst(headerLength) == bytes)

        // strings in as length-prefixed bytes, through the LabelEncoder, every output as bytes
        var strings = Data()
        for label in ["virginica", "setosa", "Ünïcode", "versicolor"] {
            withUnsafeBytes(of: UInt32(label.utf8.count).littleEndian) { strings.append(contentsOf: $0) }
            strings.append(contentsOf: Array(label.utf8))
        }
        let encoded = await fixture.router.handle(Self.binaryRequest(
            "label-encoder",
            json: #"{"inputs":[{"name":"X","shape":[4],"datatype":"BYTES","parameters":{"binary_data_size":\#(strings.count)}}],"#
                + #""parameters":{"binary_data_output":true}}"#,
            binary: strings))
        try #require(encoded.status == 200)
        let encodedBody = try #require(encoded.bodyBytes)
        let encodedLength = try #require(encoded.headers["inference-header-content-length"].flatMap { Int($0) })
        let labels = encodedBody.dropFirst(encodedLength).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
        #expect(labels == [2, 0, -1, 1])
        await fixture.registry.shutdown()
    }

    @Test func binaryDataThatDoesNotFit_isA400NamingWhy() async throws {
        let fixture = Fixture()
        let input = { (size: Int) in
            #"{"inputs":[{"name":"X","shape":[2,3],"datatype":"INT32","parameters":{"binary_data_size":\#(size)}}]}"#
        }
        let twentyFour = Data(count: 24)
        let cases: [(HTTPRequest, String)] = [
            (Self.binaryRequest("t-int32", json: input(20), binary: Data(count: 20)), "the shape calls for 24 bytes but binary_data_size is 20"),
            (Self.binaryRequest("t-int32", json: input(28), binary: twentyFour), "28 bytes asked for, 24 left after the JSON header"),
            (Self.binaryRequest("t-int32", json: input(24), binary: twentyFour + Data(count: 4)), "4 bytes after the JSON header belong to no input"),
            (Self.binaryRequest("t-string", json: #"{"inputs":[{"name":"X","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":6}}]}"#,
                                binary: Data([9, 0, 0, 0, 65, 66])), "BYTES element 0 runs past the binary data"),
            (Self.binaryRequest("t-string", json: #"{"inputs":[{"name":"X","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":6}}]}"#,
                                binary: Data([2, 0, 0, 0, 65, 66])), "the shape holds 2 BYTES elements but 1 were given"),
            (Self.binaryRequest("t-string", json: #"{"inputs":[{"name":"X","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":5}}]}"#,
                                binary: Data([1, 0, 0, 0, 0xFF])), "BYTES element 0 is not UTF-8"),
            (Self.binaryRequest("t-int32", json: #"{"inputs":[{"name":"X","shape":[2,3],"datatype":"INT32"}]}"#, binary: Data()),
             "give the elements as data or as binary_data_size bytes"),
            (HTTPRequest(method: .post, path: "/v2/models/t-int32/infer", headers: ["Inference-Header-Content-Length": "999"],
                         body: Data(input(24).utf8)), "Inference-Header-Content-Length \"999\" is not a length within"),
        ]
        for (request, mention) in cases {
            let response = await fixture.router.handle(request)
            let json = (try? JSONSerialization.jsonObject(with: response.bodyBytes ?? Data())) as? [String: Any]
            let message = json?["error"] as? String ?? ""
            #expect(response.status == 400, "\(mention): \(message)")
            #expect(message.contains(mention), "\(mention): \(message)")
        }
        await fixture.registry.shutdown()
    }
}

/// Decodes anything, for reading the parts of a reference case that do not depend on its element type.
private struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {}
}
