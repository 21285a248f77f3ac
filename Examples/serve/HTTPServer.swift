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

    /// A connection's key in the table: its own number, not its descriptor, which the kernel hands to the next
    /// connection as soon as it is closed.
    typealias ConnectionID = UInt64

    private struct Connection {
        let descriptor: Int32
        /// Whether it is in the middle of a request.
        var busy = false
    }

    private struct State {
        /// Open connections. An entry leaves the table before its descriptor is closed, and the drain shuts
        /// descriptors down while holding the lock, so a descriptor in the table is always this connection's.
        var connections: [ConnectionID: Connection] = [:]
        var nextID: ConnectionID = 0
        /// Connections out of the table whose lingering close is still running (they still count against the
        /// limit, and the drain waits for them).
        var closing = 0
        /// Refused connections whose lingering close is running on a thread of its own.
        var refusing = 0
        var draining = false
        var acceptLoopEnded = false
        /// The drain deadline passed.
        var gaveUp = false
        var waiters: [CheckedContinuation<Void, Never>] = []

        var isQuiet: Bool { (draining && acceptLoopEnded && connections.isEmpty && closing == 0) || gaveUp }
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
            let admitted = state.withLock { state -> ConnectionID? in
                guard state.connections.count + state.closing < options.maxConnections, !state.draining else {
                    return nil
                }
                defer { state.nextID += 1 }
                state.connections[state.nextID] = Connection(descriptor: descriptor)
                return state.nextID
            }
            guard let id = admitted else {
                refuse(descriptor)
                continue
            }
            let connection = HTTPConnection(
                id: id, descriptor: descriptor, router: router, options: options, server: self)
            Thread.detachNewThread { [self] in
                connection.serve()
                closed(id)
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
        // Closing with the client's request unread would reset the connection, and the client could lose the 503:
        // linger on a thread of its own (the accept loop must not wait), up to a bound, then close at once.
        let lingers = state.withLock { state in
            guard state.refusing < Self.maxLingeringRefusals else { return false }
            state.refusing += 1
            return true
        }
        guard lingers else {
            Socket.closeDescriptor(descriptor)
            return
        }
        Thread.detachNewThread { [state] in
            Socket.lingeringClose(descriptor)
            state.withLock { $0.refusing -= 1 }
        }
    }

    /// The most refused connections lingering at once; beyond it a refusal is closed at once.
    private static let maxLingeringRefusals = 64

    /// A connection is about to wait for its next request.
    /// - Returns: `false` when the server drains: the connection should close.
    func beginWaiting(_ id: ConnectionID) -> Bool {
        state.withLock { state in
            state.connections[id]?.busy = false
            return !state.draining
        }
    }

    /// A connection has read a request head and is serving it.
    func beginRequest(_ id: ConnectionID) { state.withLock { $0.connections[id]?.busy = true } }

    /// A connection is done: out of the table first (so the drain no longer touches its descriptor), then closed.
    private func closed(_ id: ConnectionID) {
        let connection = state.withLock { state in
            let removed = state.connections.removeValue(forKey: id)
            if removed != nil { state.closing += 1 }
            return removed
        }
        guard let connection else { return }
        Socket.lingeringClose(connection.descriptor)
        resumeIfQuiet { $0.closing -= 1 }
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
        state.withLock { state in
            state.draining = true
            // under the lock: a connection leaves the table before its descriptor is closed
            for connection in state.connections.values where !connection.busy {
                Socket.shutdownReading(connection.descriptor)
            }
        }
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
