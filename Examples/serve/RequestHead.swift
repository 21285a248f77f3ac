import Foundation

/// The request line and header fields of an HTTP/1.1 request.
struct RequestHead: Sendable {
    var method: String
    var target: String
    var version: String
    /// Header fields, names lowercased; repeated fields are joined with ", ".
    var headers: [String: String]

    /// Why a head could not be parsed.
    struct Malformed: Error {
        var reason: String
    }

    /// Parses the bytes before the blank line.
    /// - Throws: ``Malformed`` naming what is wrong.
    init(parsing bytes: ArraySlice<UInt8>) throws(Malformed) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Malformed(reason: "the head is not UTF-8") }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { throw Malformed(reason: "no request line") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            throw Malformed(reason: "request line \"\(requestLine.prefix(80))\" is not METHOD TARGET HTTP/1.x")
        }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])
        headers = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw Malformed(reason: "header line \"\(line.prefix(80))\" has no colon")
            }
            let name = line[..<colon].lowercased()
            // no whitespace may come before the colon (RFC 9112 §5.1): `Content-Length : 5` must not pass as
            // an unknown field, leaving its body to be read as the next request
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
                throw Malformed(reason: "header field name \"\(name.prefix(80))\" is empty or holds whitespace")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
    }

    /// Whether the connection stays open after the response (HTTP/1.1 unless `Connection: close`).
    var keepAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        return version == "HTTP/1.0" ? connection.contains("keep-alive") : !connection.contains("close")
    }
}
