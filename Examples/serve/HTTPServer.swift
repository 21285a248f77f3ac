import Foundation
import ModelRegistry
import ModelRegistryHTTP

/// Accepts TCP connections on one port and serves each on its own thread, at most `maxConnections` at once.
///
/// ``drain(timeout:)`` stops accepting, closes idle keep-alive connections, and waits for the requests in flight
/// (streams included) to finish.
final class HTTPServer: Sendable {
    let router: RegistryRouter
    let options: ServeOptions
    /// The port the server listens on (useful with `--port 0`).
    let port: Int
    private let listener: Int32

    private struct State {
        /// Open connections, and whether each is in the middle of a request.
        var connections: [Int32: Bool] = [:]
        var draining = false
        var acceptLoopEnded = false
        /// The drain deadline passed.
        var gaveUp = false
        var waiters: [CheckedContinuation<Void, Never>] = []

        var isQuiet: Bool { (draining && acceptLoopEnded && connections.isEmpty) || gaveUp }
    }

    private let state = Locked(State())

    /// Opens the listening socket.
    /// - Throws: ``SocketError`` when the address cannot be bound.
    init(router: RegistryRouter, options: ServeOptions) throws(SocketError) {
        self.router = router
        self.options = options
        (listener, port) = try Socket.openListener(host: options.host, port: options.port, backlog: 128)
    }

    /// Starts the accept loop on its own thread.
    func start() {
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Whether ``drain(timeout:)`` has begun.
    var isDraining: Bool { state.withLock { $0.draining } }

    private func acceptLoop() {
        while !isDraining {
            guard let descriptor = Socket.acceptConnection(listener, timeoutMilliseconds: 100) else { continue }
            let admitted = state.withLock { state in
                guard state.connections.count < options.maxConnections, !state.draining else { return false }
                state.connections[descriptor] = false
                return true
            }
            guard admitted else {
                refuse(descriptor)
                continue
            }
            let connection = HTTPConnection(descriptor: descriptor, router: router, options: options, server: self)
            Thread.detachNewThread { [self] in
                connection.serve()
                closed(descriptor)
            }
        }
        Socket.closeDescriptor(listener)
        resumeIfQuiet { $0.acceptLoopEnded = true }
    }

    private func refuse(_ descriptor: Int32) {
        let message = "the server is at its limit of \(options.maxConnections) connections; retry later"
        let body = Data("{\"error\":{\"status\":503,\"code\":\"too_many_connections\",\"message\":\"\(message)\"}}".utf8)
        let head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n"
            + "connection: close\r\ncontent-length: \(body.count)\r\n\r\n"
        _ = Socket.writeAll(descriptor, Array(head.utf8) + body)
        Socket.closeDescriptor(descriptor)
    }

    /// A connection is about to wait for its next request.
    /// - Returns: `false` when the server drains: the connection should close.
    func beginWaiting(_ descriptor: Int32) -> Bool {
        state.withLock { state in
            state.connections[descriptor] = false
            return !state.draining
        }
    }

    /// A connection has read a request head and is serving it.
    func beginRequest(_ descriptor: Int32) { state.withLock { $0.connections[descriptor] = true } }

    private func closed(_ descriptor: Int32) {
        Socket.lingeringClose(descriptor)
        resumeIfQuiet { $0.connections[descriptor] = nil }
    }

    private func resumeIfQuiet(after change: (inout State) -> Void) {
        let waiters = state.withLock { state in
            change(&state)
            guard state.isQuiet else { return [CheckedContinuation<Void, Never>]() }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Stops accepting, closes idle connections and waits (up to `timeout`) for requests in flight.
    /// - Returns: The number of connections still open at the deadline.
    @discardableResult
    func drain(timeout: Duration) async -> Int {
        let idle = state.withLock { state in
            state.draining = true
            return state.connections.filter { !$0.value }.map(\.key)
        }
        idle.forEach(Socket.shutdownReading)
        let deadline = Task {
            try? await Task.sleep(for: timeout)
            resumeIfQuiet { $0.gaveUp = true }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let quiet = state.withLock { state in
                if state.isQuiet { return true }
                state.waiters.append(continuation)
                return false
            }
            if quiet { continuation.resume() }
        }
        deadline.cancel()
        return state.withLock { $0.connections.count }
    }
}
