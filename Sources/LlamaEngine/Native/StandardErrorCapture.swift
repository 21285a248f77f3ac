import Foundation

/// Captures what a native call writes to the process's standard error. libllama's grammar parser reports its
/// error with `fprintf(stderr, …)` rather than through the log callback, so a failed grammar is parsed a second time
/// inside this capture to learn why. While the capture runs (microseconds) other threads' stderr output is caught too
/// and dropped, which is why it is used only on that failure path.
enum StandardErrorCapture {
    private static let lock = NSLock()

    /// Runs `body` with file descriptor 2 pointing into a pipe.
    /// - Returns: What was written (at most 64 KiB), or `nil` when the pipe could not be set up.
    static func capture(_ body: () -> Void) -> String? {
        lock.lock()
        defer { lock.unlock() }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        fflush(nil)
        dup2(fds[1], STDERR_FILENO)
        body()
        fflush(nil)
        dup2(saved, STDERR_FILENO)
        close(saved)
        close(fds[1])
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while output.count < 65536 {
            let count = read(fds[0], &buffer, buffer.count)
            guard count > 0 else { break }
            output += buffer.prefix(count)
        }
        close(fds[0])
        return String(decoding: output, as: UTF8.self)
    }
}
