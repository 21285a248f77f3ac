public import Foundation

/// An HTTP response from the router: a status, header fields, and either the whole body or a stream of chunks.
///
/// A streamed body (server-sent events for `stream: true` completions) is produced while the adapter writes it.
/// When the adapter stops reading it (the client went away) and drops the stream, the generation behind it is
/// cancelled and its lease released.
public struct HTTPResponse: Sendable {
    /// The body.
    public enum Body: Sendable {
        /// The whole body at once; send it with `Content-Length`.
        case bytes(Data)
        /// Chunks produced over time; send them as they come (`Transfer-Encoding: chunked` in HTTP/1.1).
        case stream(AsyncThrowingStream<Data, any Error>)
    }

    /// The status code, e.g. 200.
    public var status: Int
    /// The header fields, e.g. `content-type`.
    public var headers: [String: String]
    /// The body.
    public var body: Body

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: Header fields.
    ///   - body: The body.
    public init(status: Int, headers: [String: String] = [:], body: Body = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    /// - Parameters:
    ///   - status: The status code.
    ///   - value: The value to encode (keys sorted).
    ///   - headers: More header fields.
    /// - Returns: The response; a value that cannot be encoded becomes a 500 with the encoder's reason.
    static func json(status: Int = 200, _ value: some Encodable, headers: [String: String] = [:]) -> HTTPResponse {
        do {
            let data = try JSONCoding.encoder.encode(value)
            return HTTPResponse(
                status: status, headers: headers.merging(["content-type": "application/json"]) { given, _ in given },
                body: .bytes(data))
        } catch {
            return HTTPResponse(
                status: 500, headers: ["content-type": "text/plain; charset=utf-8"],
                body: .bytes(Data("response could not be encoded: \(error)".utf8)))
        }
    }

    /// A plain-text response.
    static func text(status: Int = 200, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": contentType], body: .bytes(Data(text.utf8)))
    }

    /// The body bytes when the body is not streamed; `nil` for a stream.
    public var bodyBytes: Data? { if case .bytes(let data) = body { data } else { nil } }
}

/// The encoder and decoder every route uses.
enum JSONCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// Decodes a request body, turning a decoding error into a 400 that names the field.
    /// - Parameters:
    ///   - type: The body's type.
    ///   - body: The request body.
    ///   - nonFiniteNumbers: Whether bare `NaN`, `Infinity` and `-Infinity` are numbers, as Python's `json` and
    ///     `rapidjson` (tritonclient) write them; a body that is not JSON is then read again as JSON5, which has them.
    /// - Throws: ``HTTPError`` 400 naming the field, or saying why the body is not JSON.
    static func decode<Value: Decodable>(
        _ type: Value.Type, from body: Data, nonFiniteNumbers: Bool = false
    ) throws(HTTPError) -> Value {
        guard !body.isEmpty else { throw .malformedBody(field: nil, reason: "the request body is empty; send a JSON object") }
        do {
            do {
                return try JSONDecoder().decode(type, from: body)
            } catch DecodingError.dataCorrupted where nonFiniteNumbers {
                // not JSON: perhaps bare NaN or Infinity, which JSON5 has (read only then: JSON is faster)
                let decoder = JSONDecoder()
                decoder.allowsJSON5 = true
                return try decoder.decode(type, from: body)
            }
        } catch let error as DecodingError {
            throw HTTPError.decoding(error)
        } catch {
            throw .malformedBody(field: nil, reason: "\(error)")
        }
    }
}
