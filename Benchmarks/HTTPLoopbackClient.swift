import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client for the HTTP benchmark: one keep-alive connection to 127.0.0.1, blocking calls, bodies
/// with `Content-Length` only. It exists so the figure measures the server, not a client library.
final class HTTPLoopbackClient {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to `127.0.0.1:port`.
    /// - Throws: ``BenchmarkError/unexpectedOutput(command:reason:)`` when the connection fails.
    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else {
            throw BenchmarkError.unexpectedOutput(command: "connect 127.0.0.1:\(port)", reason: String(cString: strerror(errno)))
        }
        var yes: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(descriptor) }

    /// The header lines of a JSON body.
    static let jsonHeaders = "content-type: application/json\r\n"

    /// Sends one POST and reads its response.
    /// - Parameters:
    ///   - path: The request target.
    ///   - body: The body.
    ///   - headers: Header lines besides host and content-length, each ending in CRLF (by default
    ///     ``jsonHeaders``); given as text so that the timed request costs the client no more than the text itself.
    /// - Returns: The status code.
    /// - Throws: ``BenchmarkError/unexpectedOutput(command:reason:)`` when the connection breaks.
    func post(_ path: String, body: [UInt8], headers: String = jsonHeaders) throws -> Int {
        let requestHead = "POST \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\n\(headers)content-length: \(body.count)\r\n\r\n"
        var request = Array(requestHead.utf8)
        request += body
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw broken("send") }
            sent += count
        }
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.indices.dropLast(3).first { buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10 }
            if headEnd == nil { try fill() }
        }
        guard let headEnd else { throw broken("recv") }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        let length = lengthLine.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        let total = headEnd + 4 + length
        while buffer.count < total { try fill() }
        buffer.removeFirst(total)
        return status
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw broken("recv") }
        buffer += chunk[..<count]
    }

    private func broken(_ call: String) -> BenchmarkError {
        .unexpectedOutput(command: "HTTP \(call)", reason: "the connection closed: \(String(cString: strerror(errno)))")
    }
}
