import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX call that failed, with `strerror`'s text.
struct SocketError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32
    var description: String { "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// The few socket calls the server makes, each wrapped once. Blocking descriptors: every connection has its own
/// thread, and the receive/send timeouts bound how long one call can block.
enum Socket {
    /// Opens a TCP socket listening on `host:port` (`port` 0 picks a free one).
    /// - Returns: The descriptor and the port it listens on.
    /// - Throws: ``SocketError`` naming the call.
    static func openListener(host: String, port: Int, backlog: Int32) throws(SocketError) -> (descriptor: Int32, port: Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(operation: "socket", code: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw SocketError(operation: "inet_pton(\(host))", code: EINVAL)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw SocketError(operation: "bind(\(host):\(port))", code: code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw SocketError(operation: "listen", code: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Waits up to `timeoutMilliseconds` for a connection and accepts it.
    /// - Returns: The connection's descriptor, or `nil` when none arrived in time (or accept failed).
    static func acceptConnection(_ listener: Int32, timeoutMilliseconds: Int32) -> Int32? {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return nil }
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return nil }
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Bounds how long one read or write may block.
    static func setTimeouts(_ fd: Int32, receive: Duration, send: Duration) {
        for (option, duration) in [(SO_RCVTIMEO, receive), (SO_SNDTIMEO, send)] {
            var value = timeval(
                tv_sec: Int(duration.components.seconds),
                tv_usec: Int(duration.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Reads what is there, up to `maximum` bytes.
    /// - Returns: The bytes; empty at end of stream, on a timeout or an error.
    static func readSome(_ fd: Int32, maximum: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maximum, 0) }
            if count < 0, errno == EINTR { continue }
            return count > 0 ? Array(buffer[..<count]) : []
        }
    }

    /// Writes all of `bytes`.
    /// - Returns: `false` when the peer is gone or the send timed out.
    static func writeAll(_ fd: Int32, _ bytes: some DataProtocol) -> Bool {
        #if canImport(Glibc)
        let noSignal = Int32(MSG_NOSIGNAL)
        #else
        let noSignal: Int32 = 0  // Darwin: SO_NOSIGPIPE would be set on the socket instead
        #endif
        var data = Array(bytes)[...]
        while !data.isEmpty {
            let count = data.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, noSignal) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            data = data.dropFirst(count)
        }
        return true
    }

    /// Whether the client has closed its side of the connection (or it failed), seen without blocking: a hang-up or
    /// an error, or end of stream where a request could be. Bytes the client sent (a pipelined request) are left
    /// unread, and hide a close behind them.
    static func peerHasClosed(_ fd: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return false }
        if poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
        var byte: UInt8 = 0
        #if canImport(Glibc)
        let flags = Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)
        #else
        let flags = MSG_PEEK | MSG_DONTWAIT
        #endif
        let count = recv(fd, &byte, 1, flags)
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    }

    /// Stops reading: a thread blocked in ``readSome(_:maximum:)`` on it returns at once.
    static func shutdownReading(_ fd: Int32) { shutdown(fd, Int32(SHUT_RD)) }

    /// Closes a connection gracefully: stops sending, then reads and discards what the client still sends (up to
    /// 1 MiB, 1 s between reads) so that closing with unread bytes does not reset the connection and lose the
    /// response just written (an error answered before the body was read, for instance).
    static func lingeringClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        setTimeouts(fd, receive: .seconds(1), send: .seconds(1))
        var discarded = 0
        while discarded < 1 << 20 {
            let bytes = readSome(fd, maximum: 1 << 16)
            guard !bytes.isEmpty else { break }
            discarded += bytes.count
        }
        closeDescriptor(fd)
    }

    /// Closes the descriptor.
    static func closeDescriptor(_ fd: Int32) { _ = close(fd) }
}
