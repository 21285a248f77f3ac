import Foundation

/// What a route handler returns: the response, and the model it was about (for the per-model metrics) when the
/// path does not name it.
struct Routed: Sendable {
    var response: HTTPResponse
    var model: String?

    init(_ response: HTTPResponse, model: String? = nil) {
        self.response = response
        self.model = model
    }

    /// The response `answer` gives for `model` (named in the request body), with its failures counted under that
    /// model too (``RoutedFailure``).
    static func answering(
        for model: String, _ answer: () async throws -> HTTPResponse
    ) async throws(RoutedFailure) -> Routed {
        do {
            return Routed(try await answer(), model: model)
        } catch {
            throw RoutedFailure(model: model, underlying: error)
        }
    }
}

/// A route's failure for a model it learned from the request body, so that the router's metrics count it under
/// that model, as they count the route's answers.
struct RoutedFailure: Error {
    /// The model the request was for.
    var model: String
    /// What the route threw.
    var underlying: any Error
}

/// One entry of the router's table: a method, a path pattern such as `/v2/models/{name}/infer`, and its handler.
struct Route: Sendable {
    typealias Handler = @Sendable (RegistryRouter, HTTPRequest, [String: String]) async throws -> Routed

    let method: HTTPMethod
    let api: API
    private let pattern: [String]
    let handler: Handler

    init(_ method: HTTPMethod, _ pattern: String, handler: @escaping Handler) {
        self.method = method
        self.pattern = pattern.split(separator: "/").map(String.init)
        self.api = API(path: pattern)
        self.handler = handler
    }

    /// The parameters `{name}` took when `segments` fit the pattern; `nil` otherwise.
    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        var parameters: [String: String] = [:]
        for (part, segment) in zip(pattern, segments) {
            if part.hasPrefix("{") && part.hasSuffix("}") {
                guard !segment.isEmpty else { return nil }
                parameters[String(part.dropFirst().dropLast())] = segment
            } else if part != segment {
                return nil
            }
        }
        return parameters
    }
}

extension RegistryRouter {
    /// Every route, first match wins.
    static let routes: [Route] = managementRoutes + healthRoutes + openAIRoutes + kserveRoutes

    /// Turn engine errors into statuses; each engine's routes file contributes one.
    static let errorMappers: [@Sendable (any Error) -> HTTPError?] = [openAIErrorStatus, kserveErrorStatus]
}
