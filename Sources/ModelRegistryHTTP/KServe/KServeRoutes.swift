import Foundation
import ModelRegistry
import OnnxRuntimeEngine

// MARK: - KServe v2 inference protocol on ONNX models

extension RegistryRouter {
    /// `/v2`, `/v2/health/{live,ready}`, `/v2/models/{name}[/versions/{version}][/ready|/infer]`.
    static let kserveRoutes: [Route] = [
        Route(.get, "/v2") { router, _, _ in
            Routed(.json(ServerMetadataResponse(
                name: router.options.serverName, version: router.options.serverVersion, extensions: ["binary_tensor_data"])))
        },
        Route(.get, "/v2/health/live") { _, _, _ in Routed(.json(["live": true])) },
        Route(.get, "/v2/health/ready") { router, _, _ in
            let waiting = await router.modelsNotReady()
            guard waiting.isEmpty else {
                throw HTTPError(
                    status: 503, code: "not_ready", message: "models not loaded yet: \(waiting.joined(separator: ", "))",
                    retryAfterSeconds: 1)
            }
            return Routed(.json(["ready": true]))
        },
    ] + ["", "/versions/{version}"].flatMap { version in
        [
            Route(.get, "/v2/models/{name}\(version)") { router, _, parameters in
                let target = try await router.kserveTarget(parameters, route: "/v2/models/{name}")
                return try await Routed(router.kserveMetadata(target), model: target.name)
            },
            Route(.get, "/v2/models/{name}\(version)/ready") { router, _, parameters in
                let target = try await router.kserveTarget(parameters, route: "/v2/models/{name}/ready")
                return try await Routed(router.kserveReady(target), model: target.name)
            },
            Route(.post, "/v2/models/{name}\(version)/infer") { router, request, parameters in
                let target = try await router.kserveTarget(parameters, route: "/v2/models/{name}/infer")
                return try await Routed.answering(for: target.name) {
                    try await router.kserveInfer(target, request: request)
                }
            },
        ]
    }

    /// The model's configuration, after checking it runs on ONNX Runtime.
    func onnxConfiguration(_ name: String, route: String) async throws -> ModelConfiguration {
        let configuration = try await configuration(of: name)
        guard configuration.engine == .onnxruntime else {
            throw HTTPError.wrongKind(name, is: configuration, route: route, needs: "an onnxruntime model")
        }
        return configuration
    }

    /// The model a KServe path names and the version it serves.
    struct KServeTarget: Sendable {
        /// The registered model: `name`, or `name@version` for a catalog version registered beside it.
        var name: String
        /// The path's model name.
        var publicName: String
        /// The version the model serves: its configured version, `"1"` for a model without one.
        var version: String
    }

    /// The model a KServe path names: `{name}` when the path gives no `{version}` or the version `{name}` serves,
    /// else the catalog version registered beside it as `name@version` (see ``ModelRegistry/withModel(_:version:isolation:_:)``).
    /// A version neither serves is a 404 naming the version served; the router never registers a version itself, so
    /// a request cannot make the server load arbitrary versions.
    /// - Throws: ``HTTPError``: 404 for an unknown model or version, 400 for a model that is not an ONNX model.
    func kserveTarget(_ parameters: [String: String], route: String) async throws -> KServeTarget {
        let name = parameters["name"] ?? ""
        let configuration = try await onnxConfiguration(name, route: route)
        let served = configuration.version ?? "1"
        guard let version = parameters["version"], version != served else {
            return KServeTarget(name: name, publicName: name, version: served)
        }
        let versioned = "\(name)@\(version)"
        guard let other = try? await registry.configuration(of: versioned), other.engine == .onnxruntime else {
            throw HTTPError(
                status: 404, code: "model_not_found",
                message: "model \"\(name)\" has no version \"\(version)\"; it serves version \(served)", field: "version")
        }
        return KServeTarget(name: versioned, publicName: name, version: other.version ?? version)
    }

    /// `GET /v2/models/{name}`: inputs and outputs with their datatypes and shapes (loads the model if needed).
    func kserveMetadata(_ target: KServeTarget) async throws -> HTTPResponse {
        let (inputs, outputs) = try await registry.withModel(target.name, as: OnnxRuntimeEngine.self) { engine in
            (engine.inputs, engine.outputs)
        }
        return .json(ModelMetadataResponse(
            name: target.publicName, versions: [target.version], platform: "onnxruntime_onnx",
            inputs: inputs.map(Self.metadata), outputs: outputs.map(Self.metadata)))
    }

    /// `GET /v2/models/{name}/ready`: 200 when loaded, 503 otherwise (never starts a load).
    func kserveReady(_ target: KServeTarget) async throws -> HTTPResponse {
        struct Ready: Encodable {
            var name: String
            var ready: Bool
        }
        let ready = await registry.isLoaded(target.name)
        return .json(status: ready ? 200 : 503, Ready(name: target.publicName, ready: ready))
    }

    /// `POST /v2/models/{name}/infer`: tensors as JSON, or as binary data after a JSON header (the binary-data
    /// extension, ``KServeBinaryData``), in the request and, for the outputs that ask for it, in the response.
    func kserveInfer(_ target: KServeTarget, request httpRequest: HTTPRequest) async throws -> HTTPResponse {
        let name = target.name
        let (json, binary) = try KServeBinaryData.split(
            httpRequest.body, headerLength: httpRequest.headers[KServeBinaryData.headerLengthField])
        let request = try JSONCoding.decode(InferRequest.self, from: json, nonFiniteNumbers: true)
        let tensors = try Self.inputTensors(request.inputs, binary: binary)
        let requested = request.outputs?.map(\.name)
        let results = try await registry.withModel(name, as: OnnxRuntimeEngine.self) { engine in
            try await engine.run(tensors, outputs: requested)
        }
        let names = requested ?? results.keys.sorted()
        let binaryOutputs = Set(
            request.outputs?.filter { $0.parameters?.binaryData == true }.map(\.name)
                ?? (request.parameters?.binaryDataOutput == true ? names : []))
        var outputs: [InferOutput] = []
        var outputBytes = Data()
        for outputName in names {
            guard let value = results[outputName] else { continue }
            guard let tensor = Self.outputTensor(value), let datatype = KServeDatatype.of(tensor.elementType) else {
                throw HTTPError(
                    status: 500, code: "unsupported_output",
                    message: "output \"\(outputName)\" of model \"\(name)\" has a type the KServe protocol cannot carry")
            }
            var output = InferOutput(name: outputName, datatype: datatype.name, shape: tensor.shape)
            if binaryOutputs.contains(outputName) {
                let bytes = KServeBinaryData.bytes(of: tensor)
                output.parameters = .init(binaryDataSize: bytes.count)
                outputBytes.append(bytes)
            } else {
                output.data = datatype.values(tensor)
            }
            outputs.append(output)
        }
        let response = HTTPResponse.json(InferResponse(
            modelName: target.publicName, modelVersion: target.version, id: request.id, outputs: outputs))
        guard !binaryOutputs.isEmpty, let header = response.bodyBytes else { return response }
        return HTTPResponse(
            status: 200,
            headers: ["content-type": "application/octet-stream", "inference-header-content-length": "\(header.count)"],
            body: .bytes(header + outputBytes))
    }

    /// The request's inputs as tensors, each checked against its datatype and shape; binary inputs take their
    /// bytes from `binary` in order.
    /// - Throws: ``HTTPError`` 400 naming the field.
    static func inputTensors(_ inputs: [InferRequest.Input], binary: Data) throws(HTTPError) -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        var offset = binary.startIndex
        for (index, input) in inputs.enumerated() {
            guard let datatype = KServeDatatype.named(input.datatype) else {
                let names = KServeDatatype.supported.map(\.name).joined(separator: ", ")
                throw HTTPError.malformedBody(
                    field: "inputs[\(index)].datatype", reason: "\"\(input.datatype)\" is not supported; use one of \(names)")
            }
            guard input.shape.allSatisfy({ $0 >= 0 }) else {
                throw HTTPError.malformedBody(field: "inputs[\(index)].shape", reason: "dimensions must be 0 or more")
            }
            guard let count = Tensor.elementCount(of: input.shape) else {
                throw HTTPError.malformedBody(
                    field: "inputs[\(index)].shape",
                    reason: "shape \(input.shape) calls for more elements than any tensor can hold")
            }
            guard tensors[input.name] == nil else {
                throw HTTPError.malformedBody(field: "inputs[\(index)].name", reason: "\"\(input.name)\" is given twice")
            }
            switch (input.data, input.parameters?.binaryDataSize) {
            case (let data?, nil):
                guard count == data.values.count else {
                    throw HTTPError.malformedBody(
                        field: "inputs[\(index)].data",
                        reason: "shape \(input.shape) holds \(count) elements but \(data.values.count) were given")
                }
                do {
                    tensors[input.name] = try datatype.tensor(input.shape, data.values)
                } catch {
                    throw HTTPError.malformedBody(
                        field: "inputs[\(index)].data[\(error.index)]",
                        reason: "\(error.element) is not a valid \(datatype.name) value")
                }
            case (nil, let size?):
                let field = "inputs[\(index)].parameters.binary_data_size"
                guard size >= 0, binary.endIndex - offset >= size else {
                    throw HTTPError.malformedBody(
                        field: field, reason: "\(size) bytes asked for, \(binary.endIndex - offset) left after the JSON header")
                }
                let bytes = binary[offset..<offset + size]
                offset += size
                switch KServeBinaryData.tensor(datatype, shape: input.shape, bytes: Data(bytes)) {
                case .success(let tensor): tensors[input.name] = tensor
                case .failure(let mismatch): throw HTTPError.malformedBody(field: field, reason: mismatch.description)
                }
            case (nil, nil):
                throw HTTPError.malformedBody(
                    field: "inputs[\(index)].data", reason: "give the elements as data or as binary_data_size bytes")
            case (_?, _?):
                throw HTTPError.malformedBody(
                    field: "inputs[\(index)].data", reason: "give the elements as data or as binary_data_size bytes, not both")
            }
        }
        guard offset == binary.endIndex else {
            throw HTTPError.malformedBody(
                field: nil, reason: "\(binary.endIndex - offset) bytes after the JSON header belong to no input's binary_data_size")
        }
        return tensors
    }

    /// An output as a tensor; a sequence of `int64 → float` maps (a ZipMap's probabilities) becomes a `float`
    /// `[rows, classes]` tensor, classes in key order. `nil` for anything else.
    static func outputTensor(_ value: OnnxValue) -> Tensor? {
        switch value {
        case .tensor(let tensor):
            return tensor
        case .sequence(let rows):
            let maps = rows.compactMap(\.int64FloatMap)
            guard maps.count == rows.count else { return nil }
            let keys = maps.first.map { $0.keys.sorted() } ?? []
            return Tensor(shape: [maps.count, keys.count], floats: maps.flatMap { map in keys.map { map[$0] ?? 0 } })
        case .map:
            return nil
        }
    }

    /// An input or output's metadata; `-1` marks a dynamic dimension.
    static func metadata(_ info: TensorInfo) -> TensorMetadata {
        switch info.type {
        case .tensor(let elementType, let shape):
            return TensorMetadata(name: info.name, datatype: KServeDatatype.protocolName(of: elementType), shape: shape)
        case .sequence(.map(_, .tensor(let valueType, _))):
            return TensorMetadata(name: info.name, datatype: KServeDatatype.protocolName(of: valueType), shape: [-1, -1])
        default:
            return TensorMetadata(name: info.name, datatype: info.type.typeName, shape: [])
        }
    }

    /// Statuses for ``OnnxRuntimeError``.
    static let kserveErrorStatus: @Sendable (any Error) -> HTTPError? = { error in
        guard let error = error as? OnnxRuntimeError else { return nil }
        let message = error.description
        switch error {
        case .unknownInput, .missingInputs, .inputMismatch, .dataCountMismatch, .shapeTooLarge, .unsupportedInputType,
            .unknownOutput, .outputBufferMismatch:
            return HTTPError(status: 400, code: "invalid_request", message: message)
        case .runFailed(_, let status) where status.code == .invalidArgument:
            // ORT refused the inputs themselves (e.g. a width its graph cannot take in a `-1` dimension)
            return HTTPError(status: 400, code: "invalid_request", message: message)
        case .notLoaded:
            return HTTPError(status: 503, code: "model_unavailable", message: message, retryAfterSeconds: 1)
        case .cancelled:
            return HTTPError(status: 503, code: "cancelled", message: message, retryAfterSeconds: 1)
        default:
            return HTTPError(status: 500, code: "engine_error", message: message)
        }
    }
}
