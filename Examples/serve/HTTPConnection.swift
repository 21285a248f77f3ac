import Foundation
import ModelRegistryHTTP

/// One client connection: reads requests (keep-alive, `Content-Length` bodies), hands each to the router, and
/// writes the response (`Content-Length`, or chunked for a streamed body). Runs on its own thread.
struct HTTPConnection: Sendable {
    /// Its key in the server's table.
    let id: HTTPServer.ConnectionID
    let descriptor: Int32
    let router: RegistryRouter
    let options: ServeOptions
    let server: HTTPServer

    /// Serves requests until the client closes, a limit is broken, a deadline passes or the server drains.
    ///
    /// Deadlines bound whole reads, not each `recv`, so a client trickling bytes cannot hold its connection (one of
    /// `maxConnections`) for long: a request head must arrive within the idle timeout of the connection going idle,
    /// and a body within the idle timeout plus one second per 64 KiB.
    func serve() {
        Socket.setTimeouts(descriptor, receive: options.idleTimeout, send: .seconds(30))
        var buffer: [UInt8] = []
        while server.beginWaiting(id) {
            guard let headEnd = readHead(into: &buffer) else { return }
            server.beginRequest(id)
            let head: RequestHead
            do {
                head = try RequestHead(parsing: buffer[..<headEnd])
            } catch {
                send(router.errorResponse(status: 400, message: error.reason, path: "/"), keepAlive: false)
                return
            }
            buffer.removeFirst(headEnd + 4)
            let path = String(head.target.prefix { $0 != "?" })
            if head.headers["transfer-encoding"] != nil {
                let message = "chunked request bodies are not supported; send Content-Length"
                send(router.errorResponse(status: 411, message: message, path: path), keepAlive: false)
                return
            }
            guard let length = Int(head.headers["content-length"] ?? "0"), length >= 0 else {
                send(router.errorResponse(status: 400, message: "Content-Length is not a number", path: path), keepAlive: false)
                return
            }
            guard length <= options.maxBodyBytes else {
                let message = "request body of \(length) bytes exceeds the limit of \(options.maxBodyBytes) bytes"
                send(router.errorResponse(status: 413, message: message, path: path), keepAlive: false)
                return
            }
            if head.headers["expect"]?.lowercased() == "100-continue", buffer.count < length {
                guard Socket.writeAll(descriptor, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            let bodyDeadline = ContinuousClock.now + options.idleTimeout + .seconds(length >> 16)
            while buffer.count < length {
                let more = read(maximum: min(1 << 16, length - buffer.count), before: bodyDeadline)
                guard !more.isEmpty else {
                    if ContinuousClock.now >= bodyDeadline {
                        let message = "the request body did not arrive in time (\(length) bytes expected)"
                        send(router.errorResponse(status: 408, message: message, path: path), keepAlive: false)
                    }
                    return
                }
                buffer += more
            }
            let body = Data(buffer[..<length])
            buffer.removeFirst(length)
            let request = HTTPRequest(
                method: HTTPMethod(rawValue: head.method), path: head.target, headers: head.headers, body: body)
            let response = Blocking.run(watching: descriptor) { [router] in await router.handle(request) }
            // HTTP/1.0 has no chunked encoding: a streamed body then ends when the connection closes
            let framing = Framing(head)
            let streamed = if case .stream = response.body { true } else { false }
            let keepAlive = head.keepAlive && !server.isDraining && !(framing.untilClose && streamed)
            guard send(response, keepAlive: keepAlive, framing: framing), keepAlive else { return }
        }
    }

    /// Reads until the blank line that ends a head, which must come within the idle timeout. Empty lines before the
    /// request line are skipped (RFC 9112 §2.2: some clients send one after a body).
    /// - Returns: Where the head ends in `buffer`; `nil` when the connection closed, timed out, or sent a head over
    ///   the limit (answered with 431).
    private func readHead(into buffer: inout [UInt8]) -> Int? {
        let deadline = ContinuousClock.now + options.idleTimeout
        var searchFrom = 0
        while true {
            var skipped = 0
            while buffer.count >= skipped + 2, buffer[skipped] == 13, buffer[skipped + 1] == 10 { skipped += 2 }
            if skipped > 0 {
                buffer.removeFirst(skipped)
                searchFrom = 0
            }
            let end = Self.blankLine(in: buffer, from: searchFrom)
            if let end, end <= options.maxHeaderBytes { return end }
            searchFrom = max(0, buffer.count - 3)
            guard end == nil, buffer.count <= options.maxHeaderBytes else {
                let message = "request head exceeds the limit of \(options.maxHeaderBytes) bytes"
                send(router.errorResponse(status: 431, message: message, path: "/"), keepAlive: false)
                return nil
            }
            let more = read(maximum: 1 << 14, before: deadline)
            guard !more.isEmpty else { return nil }
            buffer += more
        }
    }

    /// Reads what is there, waiting at most until `deadline` (the receive timeout is set to what is left of it).
    /// - Returns: The bytes; empty at end of stream, on an error, or once the deadline has passed.
    private func read(maximum: Int, before deadline: ContinuousClock.Instant) -> [UInt8] {
        let left = deadline - .now
        // a zero receive timeout would mean none at all
        guard left >= .milliseconds(1) else { return [] }
        Socket.setTimeouts(descriptor, receive: min(left, options.idleTimeout), send: .seconds(30))
        return Socket.readSome(descriptor, maximum: maximum)
    }

    private static func blankLine(in buffer: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// How a response to one request may carry its body.
    struct Framing {
        /// A `HEAD` request: the head only, with the length the body would have (RFC 9110 §9.3.2).
        var headOnly = false
        /// An HTTP/1.0 client: no chunked encoding, so a streamed body ends when the connection closes.
        var untilClose = false

        init(_ head: RequestHead? = nil) {
            headOnly = head?.method == "HEAD"
            untilClose = head?.version == "HTTP/1.0"
        }
    }

    /// Writes a response.
    /// - Returns: `false` when the client went away (a streamed body is then dropped, which cancels its producer).
    @discardableResult
    private func send(_ response: HTTPResponse, keepAlive: Bool, framing: Framing = Framing()) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "connection: \(keepAlive ? "keep-alive" : "close")\r\n"
        switch response.body {
        case .bytes(let data):
            head += "content-length: \(data.count)\r\n\r\n"
            return Socket.writeAll(descriptor, Array(head.utf8) + (framing.headOnly ? [] : Array(data)))
        case .stream(let stream):
            if !framing.untilClose { head += "transfer-encoding: chunked\r\n" }
            guard Socket.writeAll(descriptor, Array((head + "\r\n").utf8)) else { return false }
            guard !framing.headOnly else { return true }  // the dropped stream cancels its producer
            return sendChunks(of: stream, chunked: !framing.untilClose)
        }
    }

    /// Writes a stream's pieces as they come, as chunks or (`chunked` false) as they are; on a write failure cancels
    /// the task reading the stream.
    private func sendChunks(of stream: AsyncThrowingStream<Data, any Error>, chunked: Bool) -> Bool {
        let pipe = ChunkPipe()
        let reader = Task {
            do {
                for try await chunk in stream { pipe.push(.chunk(chunk)) }
                pipe.push(.end)
            } catch {
                pipe.push(.failed(error))
            }
        }
        while true {
            switch pipe.next() {
            case .chunk(let data):
                let framed = chunked ? Array("\(String(data.count, radix: 16))\r\n".utf8) + data + Array("\r\n".utf8) : Array(data)
                guard data.isEmpty || Socket.writeAll(descriptor, framed) else {
                    reader.cancel()
                    return false
                }
            case .end:
                return !chunked || Socket.writeAll(descriptor, Array("0\r\n\r\n".utf8))
            case .failed:
                return false  // closing without the last chunk tells the client the body is incomplete
            }
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
