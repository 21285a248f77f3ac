import Foundation
import ModelRegistry

// MARK: - Management API

extension RegistryRouter {
    /// `/api/v1/registry/models…` (the catalog of versions) and `/api/v1/models…` (the live registry).
    static let managementRoutes: [Route] = [
        Route(.post, "/api/v1/registry/models") { router, request, _ in
            try Routed(.json(status: 201, ModelVersionView(router.registerVersion(request.body))))
        },
        Route(.get, "/api/v1/registry/models") { router, request, _ in
            let catalog = try router.requireCatalog()
            let versions = try request.query["name"].map { try catalog.list(name: $0) } ?? catalog.list()
            return Routed(.json(["versions": versions.map(ModelVersionView.init)]))
        },
        Route(.put, "/api/v1/registry/models/{name}/{version}/activate") { router, _, parameters in
            try await Routed(router.activate(name: parameters["name"] ?? "", version: parameters["version"] ?? ""))
        },
        Route(.get, "/api/v1/models") { router, _, _ in
            Routed(.json(["models": await router.registry.records.map(ModelRecordView.init)]))
        },
        Route(.get, "/api/v1/models/{name}") { router, _, parameters in
            let record = try await router.registry.record(of: parameters["name"] ?? "")
            return Routed(.json(ModelRecordView(record)))
        },
        Route(.post, "/api/v1/models/{name}/load") { router, _, parameters in
            let record = try await router.registry.load(parameters["name"] ?? "")
            return Routed(.json(ModelRecordView(record)))
        },
        Route(.post, "/api/v1/models/{name}/unload") { router, _, parameters in
            let name = parameters["name"] ?? ""
            try await router.registry.unload(name)
            return Routed(.json(ModelRecordView(try await router.registry.record(of: name))))
        },
    ]

    func requireCatalog() throws(HTTPError) -> ModelCatalog {
        guard let catalog else {
            throw HTTPError(
                status: 404, code: "no_catalog",
                message: "this server has no model catalog; start it with one to register and activate versions")
        }
        return catalog
    }

    /// Registers a version in the catalog from the request body.
    func registerVersion(_ body: Data) throws -> ModelVersion {
        let catalog = try requireCatalog()
        let request = try JSONCoding.decode(RegisterVersionRequest.self, from: body)
        let version: SemanticVersion
        do {
            version = try SemanticVersion(parsing: request.version)
        } catch {
            throw HTTPError.malformedBody(field: "version", reason: error.description)
        }
        guard !request.name.isEmpty else { throw HTTPError.malformedBody(field: "name", reason: "must not be empty") }
        guard !request.path.isEmpty else { throw HTTPError.malformedBody(field: "path", reason: "must not be empty") }
        let fileExtension = URL(fileURLWithPath: request.path).pathExtension
        let format = request.format.map(ModelFormat.init) ?? ModelFormat(fileExtension: fileExtension) ?? .other
        var stage = ModelStage.development
        if let name = request.stage {
            guard let given = ModelStage(rawValue: name) else {
                let allowed = ModelStage.allCases.map(\.rawValue).joined(separator: ", ")
                throw HTTPError.malformedBody(field: "stage", reason: "\"\(name)\" is not one of \(allowed)")
            }
            stage = given
        }
        return try catalog.register(ModelVersion(
            name: request.name, version: version, path: request.path, format: format, stage: stage,
            metadata: request.metadata ?? ModelMetadata(), engine: request.engine.map(EngineKind.init),
            modelType: request.type.map(ModelType.init)))
    }

    /// Promotes a version to production and points the registry's model of that name at it.
    func activate(name: String, version text: String) async throws -> HTTPResponse {
        let catalog = try requireCatalog()
        let version: SemanticVersion
        do {
            version = try SemanticVersion(parsing: text)
        } catch {
            throw HTTPError(status: 404, code: "version_not_found", message: error.description)
        }
        let promoted = try catalog.promote(name: name, version: version)
        try await registry.useProductionVersion(of: name, from: catalog)
        struct Activated: Encodable {
            var version: ModelVersionView
            var model: ModelRecordView
        }
        let record = try await registry.record(of: name)
        return .json(Activated(version: ModelVersionView(promoted), model: ModelRecordView(record)))
    }
}
