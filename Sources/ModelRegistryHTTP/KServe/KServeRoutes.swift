import Foundation
import ModelRegistry
import OnnxRuntimeEngine

// MARK: - KServe v2 inference protocol on ONNX models

extension RegistryRouter {
    /// `/v2`, `/v2/health/{live,ready}`, `/v2/models/{name}[/versions/{version}][/ready|/infer]`.
    static let kserveRoutes: [Route] = [
        Route(.get, "/v2") { router, _, _ in
            Routed(.json(ServerMetadataResponse(
                name: router.options.serverName, version: router.options.serverVersion, extensions: [])))
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
                    try await router.kserveInfer(target, body: request.body)
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

    /// `POST /v2/models/{name}/infer` with JSON tensors.
    func kserveInfer(_ target: KServeTarget, body: Data) async throws -> HTTPResponse {
        let name = target.name
        let request = try JSONCoding.decode(InferRequest.self, from: body, nonFiniteNumbers: true)
        var tensors: [String: Tensor] = [:]
        for (index, input) in request.inputs.enumerated() {
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
            guard count == input.data.values.count else {
                throw HTTPError.malformedBody(
                    field: "inputs[\(index)].data",
                    reason: "shape \(input.shape) holds \(count) elements but \(input.data.values.count) were given")
            }
            guard tensors[input.name] == nil else {
                throw HTTPError.malformedBody(field: "inputs[\(index)].name", reason: "\"\(input.name)\" is given twice")
            }
            do {
                tensors[input.name] = try datatype.tensor(input.shape, input.data.values)
            } catch {
                throw HTTPError.malformedBody(
                    field: "inputs[\(index)].data[\(error.index)]",
                    reason: "\(error.element) is not a valid \(datatype.name) value")
            }
        }
        let requested = request.outputs?.map(\.name)
        let results = try await registry.withModel(name, as: OnnxRuntimeEngine.self) { engine in
            try await engine.run(tensors, outputs: requested)
        }
        let names = requested ?? results.keys.sorted()
        var outputs: [InferOutput] = []
        for outputName in names {
            guard let value = results[outputName] else { continue }
            guard let output = Self.inferOutput(outputName, value) else {
                throw HTTPError(
                    status: 500, code: "unsupported_output",
                    message: "output \"\(outputName)\" of model \"\(name)\" has a type the KServe JSON form cannot carry")
            }
            outputs.append(output)
        }
        return .json(InferResponse(
            modelName: target.publicName, modelVersion: target.version, id: request.id, outputs: outputs))
    }

    /// An output as a KServe tensor; a sequence of `int64 → float` maps (a ZipMap's probabilities) becomes an FP32
    /// `[rows, classes]` tensor, classes in key order.
    static func inferOutput(_ name: String, _ value: OnnxValue) -> InferOutput? {
        switch value {
        case .tensor(let tensor):
            guard let datatype = KServeDatatype.of(tensor.elementType), let data = datatype.values(tensor) else { return nil }
            return InferOutput(name: name, datatype: datatype.name, shape: tensor.shape, data: data)
        case .sequence(let rows):
            let maps = rows.compactMap(\.int64FloatMap)
            guard maps.count == rows.count else { return nil }
            let keys = maps.first.map { $0.keys.sorted() } ?? []
            let data = maps.flatMap { map in keys.map { KServeElement.float(map[$0] ?? 0) } }
            return InferOutput(name: name, datatype: "FP32", shape: [maps.count, keys.count], data: data)
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
