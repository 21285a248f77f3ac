public import Foundation

/// An HTTP request as the router sees it: no connection, no framework types.
///
/// A server adapter (Hummingbird, Vapor, the `serve` example's socket loop) builds one per request and hands it to
/// ``RegistryRouter/handle(_:)``.
///
/// ```swift
/// let request = HTTPRequest(method: .post, path: "/v2/models/iris/infer", body: Data(json.utf8))
/// let response = await router.handle(request)
/// ```
public struct HTTPRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: HTTPMethod
    /// The path without the query string, e.g. `/v1/models`.
    public var path: String
    /// The query parameters; a repeated name keeps its last value.
    public var query: [String: String]
    /// The header fields, names lowercased.
    public var headers: [String: String]
    /// The body bytes (empty when there is none).
    public var body: Data

    /// Creates a request.
    /// - Parameters:
    ///   - method: The method.
    ///   - path: The path; a `?query` suffix is split off into ``query``.
    ///   - query: Query parameters, merged with those in `path`.
    ///   - headers: Header fields (names are lowercased).
    ///   - body: The body bytes.
    public init(
        method: HTTPMethod, path: String, query: [String: String] = [:], headers: [String: String] = [:],
        body: Data = Data()
    ) {
        self.method = method
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = parts.first.map(String.init) ?? "/"
        var merged: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(keyValue[0]).removingPercentEncoding ?? String(keyValue[0])
                let value = keyValue.count == 2 ? String(keyValue[1]).replacingOccurrences(of: "+", with: " ") : ""
                merged[key] = value.removingPercentEncoding ?? value
            }
        }
        self.query = merged.merging(query) { _, given in given }
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
        self.body = body
    }

    /// The path's segments, percent-decoded: `/v2/models/iris` → `["v2", "models", "iris"]`.
    var segments: [String] {
        path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
    }
}

/// An HTTP method.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The method's name in upper case.
    public let rawValue: String
    /// Creates a method from its name (upper-cased).
    /// - Parameter rawValue: E.g. `"GET"`.
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    /// `GET`.
    public static let get = HTTPMethod(rawValue: "GET")
    /// `POST`.
    public static let post = HTTPMethod(rawValue: "POST")
    /// `PUT`.
    public static let put = HTTPMethod(rawValue: "PUT")
    /// `DELETE`.
    public static let delete = HTTPMethod(rawValue: "DELETE")

    /// The name.
    public var description: String { rawValue }
}
