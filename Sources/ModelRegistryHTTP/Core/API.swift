import Foundation

/// The APIs the router serves; each renders errors in its own shape.
enum API: Sendable {
    /// `/api/v1/…`, `/health`, `/ready`, `/metrics`: `{"error":{"status":404,"code":"…","message":"…"}}`.
    case management
    /// `/v1/…`: OpenAI's `{"error":{"message":"…","type":"…","param":"…","code":"…"}}`.
    case openAI
    /// `/v2/…`: KServe v2's `{"error":"…"}`.
    case kserve

    /// The API a path belongs to.
    init(path: String) {
        if path.hasPrefix("/v1/") || path == "/v1" {
            self = .openAI
        } else if path.hasPrefix("/v2/") || path == "/v2" {
            self = .kserve
        } else {
            self = .management
        }
    }

    /// The error as this API's JSON response, with `retry-after` when the error has a retry time.
    func response(for error: HTTPError) -> HTTPResponse {
        let headers = error.retryAfterSeconds.map { ["retry-after": String($0)] } ?? [:]
        switch self {
        case .management:
            return .json(status: error.status, ManagementError(error: .init(error)), headers: headers)
        case .openAI:
            return .json(status: error.status, OpenAIError(error: .init(error)), headers: headers)
        case .kserve:
            return .json(status: error.status, KServeError(error: error.message), headers: headers)
        }
    }
}

/// The management API's error body.
struct ManagementError: Encodable {
    struct Detail: Encodable {
        var status: Int
        var code: String
        var message: String
        var field: String?
        var retryAfterSeconds: Int?
        init(_ error: HTTPError) {
            status = error.status
            code = error.code
            message = error.message
            field = error.field
            retryAfterSeconds = error.retryAfterSeconds
        }
    }
    var error: Detail
}

/// OpenAI's error body.
struct OpenAIError: Encodable {
    struct Detail: Encodable {
        var message: String
        var type: String
        var param: String?
        var code: String
        init(_ error: HTTPError) {
            message = error.message
            type = switch error.status {
            case 404: "not_found_error"
            case 429: "rate_limit_error"
            case 500...: "server_error"
            default: "invalid_request_error"
            }
            param = error.field
            code = error.code
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(type, forKey: .type)
            try container.encode(param, forKey: .param)  // OpenAI sends null rather than leaving it out
            try container.encode(code, forKey: .code)
        }
        enum CodingKeys: String, CodingKey { case message, type, param, code }
    }
    var error: Detail
}

/// KServe v2's error body.
struct KServeError: Encodable {
    var error: String
}
