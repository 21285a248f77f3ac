import Foundation
import ModelRegistry

/// A request that cannot be served, as the status, a machine-readable code and a message a person can act on.
///
/// The router renders it in the error shape of the API the route belongs to (``API``): OpenAI's
/// `{"error":{"message","type","param","code"}}`, KServe's `{"error":"…"}`, the management API's
/// `{"error":{"status","code","message"}}`.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status, e.g. 404.
    public var status: Int
    /// A stable code, e.g. `model_not_found`.
    public var code: String
    /// What went wrong and what to do.
    public var message: String
    /// The request field at fault, when there is one (e.g. `max_tokens`).
    public var field: String?
    /// When the client may retry, for 429 and 503.
    public var retryAfterSeconds: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - code: A stable code.
    ///   - message: What went wrong and what to do.
    ///   - field: The request field at fault.
    ///   - retryAfterSeconds: When the client may retry.
    public init(status: Int, code: String, message: String, field: String? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// `status code: message`.
    public var description: String { "\(status) \(code): \(message)" }

    // MARK: - Common errors

    /// 400: the body is not what the route expects; `field` names the culprit.
    static func malformedBody(field: String?, reason: String) -> HTTPError {
        HTTPError(
            status: 400, code: "invalid_request",
            message: field.map { "field \"\($0)\": \(reason)" } ?? "malformed request body: \(reason)", field: field)
    }

    /// 400 from a `DecodingError`, naming the field path.
    static func decoding(_ error: DecodingError) -> HTTPError {
        func path(_ codingPath: [any CodingKey], adding key: (any CodingKey)? = nil) -> String? {
            let keys = codingPath + (key.map { [$0] } ?? [])
            guard !keys.isEmpty else { return nil }
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .malformedBody(field: path(context.codingPath, adding: key), reason: "required field is missing")
        case .typeMismatch(let type, let context):
            return .malformedBody(field: path(context.codingPath), reason: "expected \(Self.jsonName(type))")
        case .valueNotFound(let type, let context):
            return .malformedBody(field: path(context.codingPath), reason: "expected \(Self.jsonName(type)), got null")
        case .dataCorrupted(let context):
            let reason = context.underlyingError.map { "not valid JSON (\($0.localizedDescription))" } ?? context.debugDescription
            return .malformedBody(field: path(context.codingPath), reason: reason)
        @unknown default:
            return .malformedBody(field: nil, reason: "\(error)")
        }
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        case is OneOrMany<String>.Type: "a string or an array of strings"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }

    /// 404: no model has this name.
    static func modelNotFound(_ name: String, available: [String]) -> HTTPError {
        HTTPError(
            status: 404, code: "model_not_found",
            message: "model \"\(name)\" not found; available: \(available.isEmpty ? "(none)" : available.joined(separator: ", "))",
            field: "model")
    }

    /// 400: the model exists but is not of the kind the route serves.
    static func wrongKind(_ name: String, is actual: ModelConfiguration, route: String, needs: String) -> HTTPError {
        HTTPError(
            status: 400, code: "wrong_model_kind",
            message: "model \"\(name)\" is \(actual.engine)/\(actual.modelType); \(route) needs \(needs)", field: "model")
    }

    /// 413: the body is larger than the router's limit.
    static func bodyTooLarge(size: Int?, limit: Int) -> HTTPError {
        HTTPError(
            status: 413, code: "body_too_large",
            message: "request body \(size.map { "of \($0) bytes " } ?? "")exceeds the limit of \(limit) bytes")
    }
}
