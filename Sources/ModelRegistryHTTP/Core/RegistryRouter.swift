import Foundation
public import ModelRegistry

/// The registry over HTTP, independent of any server: an ``HTTPRequest`` in, an ``HTTPResponse`` out.
///
/// It serves the management API (`/api/v1/…`), health and Prometheus metrics (`/health`, `/ready`, `/metrics`),
/// the OpenAI-compatible API (`/v1/…`, on llama.cpp models) and the KServe v2 inference protocol (`/v2/…`, on ONNX
/// models). Mount it in the app's own server framework; the `serve` example shows a minimal socket adapter.
///
/// ```swift
/// let router = RegistryRouter(registry: registry, catalog: catalog)
/// // Hummingbird:
/// router.all("**") { request, context in try await adapt(await registryRouter.handle(HTTPRequest(request))) }
/// ```
///
/// Every model request runs under a lease from ``ModelRegistry/withModel(_:isolation:_:)`` or
/// ``ModelRegistry/get(_:)``; the lease ends with the response (for a streamed response, when the stream ends or
/// is dropped).
public struct RegistryRouter: Sendable {
    /// Settings for the router.
    public struct Options: Sendable {
        /// The largest request body accepted; larger ones get 413.
        public var maxBodyBytes: Int
        /// The server name `GET /v2` reports.
        public var serverName: String
        /// The server version `GET /v2` reports.
        public var serverVersion: String

        /// Creates the settings.
        /// - Parameters:
        ///   - maxBodyBytes: The largest request body accepted (default 8 MiB).
        ///   - serverName: The name `GET /v2` reports.
        ///   - serverVersion: The version `GET /v2` reports.
        public init(maxBodyBytes: Int = 8 << 20, serverName: String = "modelregistry", serverVersion: String = "1.0.0") {
            self.maxBodyBytes = maxBodyBytes
            self.serverName = serverName
            self.serverVersion = serverVersion
        }
    }

    /// The registry served.
    public let registry: ModelRegistry
    /// The catalog the `/api/v1/registry/…` routes change; `nil` answers them with 404.
    public let catalog: ModelCatalog?
    /// The settings.
    public let options: Options
    /// Per-model request counts and latencies, and stream outcomes, for `/metrics`.
    let metrics = RequestMetrics()

    /// Creates a router.
    /// - Parameters:
    ///   - registry: The registry to serve.
    ///   - catalog: The catalog for the management routes that register and activate versions.
    ///   - options: The settings.
    public init(registry: ModelRegistry, catalog: ModelCatalog? = nil, options: Options = Options()) {
        self.registry = registry
        self.catalog = catalog
        self.options = options
    }

    /// Answers one request. Never throws: every failure is a response in the route's API error shape.
    ///
    /// An adapter should cancel the calling task when the client goes away (a generation then stops and frees its
    /// sequence); such requests are counted in `modelregistry_http_requests_abandoned_total`.
    /// - Parameter request: The request.
    /// - Returns: The response.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let start = ContinuousClock.now
        let api = API(path: request.path)
        guard request.body.count <= options.maxBodyBytes else {
            return api.response(for: .bodyTooLarge(size: request.body.count, limit: options.maxBodyBytes))
        }
        let segments = request.segments
        let matches = Self.routes.compactMap { route in route.match(segments).map { (route, $0) } }
        guard let (route, parameters) = matches.first(where: { $0.0.method == request.method }) else {
            if matches.isEmpty {
                return api.response(for: HTTPError(
                    status: 404, code: "not_found", message: "no route for \(request.method) \(request.path)"))
            }
            let allowed = matches.map(\.0.method.rawValue).joined(separator: ", ")
            var response = api.response(for: HTTPError(
                status: 405, code: "method_not_allowed",
                message: "\(request.method) is not allowed on \(request.path); use \(allowed)"))
            response.headers["allow"] = allowed
            return response
        }
        let response: HTTPResponse
        var model = parameters["name"]
        do {
            let routed = try await route.handler(self, request, parameters)
            response = routed.response
            model = routed.model ?? model
        } catch let failure as RoutedFailure {
            model = failure.model
            response = route.api.response(for: HTTPError.from(failure.underlying, mappers: Self.errorMappers))
        } catch {
            response = route.api.response(for: HTTPError.from(error, mappers: Self.errorMappers))
        }
        // Only a registered model is a metrics label: a body may name any model, and a request refused before the
        // name was looked up (a 400 for its fields) would add a label per name a client makes up.
        let duration = ContinuousClock.now - start
        if Task.isCancelled { metrics.requestAbandoned() }  // the adapter cancels a request whose client left
        if let model, response.status != 404, (try? await registry.configuration(of: model)) != nil {
            metrics.record(model: model, status: response.status, duration: duration)
        }
        return response
    }

    /// An error for a failure outside any route (a header too large, a body over the limit seen by the adapter
    /// before reading it), in the API shape of `path`.
    /// - Parameters:
    ///   - status: The status, e.g. 413.
    ///   - message: What went wrong.
    ///   - path: The request path, choosing the error shape.
    /// - Returns: The response.
    public func errorResponse(status: Int, message: String, path: String) -> HTTPResponse {
        let code = status == 413 ? "body_too_large" : "bad_request"
        return API(path: path).response(for: HTTPError(status: status, code: code, message: message))
    }

    /// A model's configuration, or a 404 that lists the models there are.
    func configuration(of name: String) async throws -> ModelConfiguration {
        do {
            return try await registry.configuration(of: name)
        } catch {
            throw HTTPError.from(error)
        }
    }
}
