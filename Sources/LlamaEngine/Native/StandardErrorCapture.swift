import Dispatch
import Foundation
import ModelRegistry

/// Captures what a native call writes to the process's standard error. libllama's grammar parser reports its
/// error with `fprintf(stderr, …)` rather than through the log callback, so a failed grammar is parsed a second time
/// inside this capture to learn why. While the capture runs (microseconds) other threads' stderr output is caught too
/// and dropped, which is why it is used only on that failure path.
///
/// The parser writes the whole grammar after its message, which can be far more than a pipe holds (64 KiB on
/// Linux): a thread of its own reads the pipe while `body` runs, so no write ever blocks, and keeps only the first
/// ``limit`` bytes.
enum StandardErrorCapture {
    /// The most that ``capture(_:)`` returns; the rest of the output is read and dropped.
    static let limit = 65536

    private static let lock = NSLock()

    /// Runs `body` while no capture can point fd 2 elsewhere (for a check of where fd 2 points).
    static func whileNotCapturing<R>(_ body: () -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Runs `body` with file descriptor 2 pointing into a pipe, then points it back where it pointed before.
    /// - Returns: The first ``limit`` bytes written, or `nil` when the pipe could not be set up.
    static func capture(_ body: () -> Void) -> String? {
        lock.lock()
        defer { lock.unlock() }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        // Close-on-exec, so that a child spawned meanwhile holds neither end and the reader sees the end of the pipe.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0)
        guard saved >= 0 else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        let drain = PipeDrain(reading: fds[0], keeping: limit)
        fflush(nil)
        dup2(fds[1], STDERR_FILENO)
        body()
        fflush(nil)
        dup2(saved, STDERR_FILENO)
        close(saved)
        close(fds[1])
        return String(decoding: drain.finish(), as: UTF8.self)
    }
}

/// Reads a pipe to its end on a thread of its own, keeping the first bytes, and closes it.
private final class PipeDrain: Sendable {
    private let kept = Locked<[UInt8]>([])  // `Locked`, not `Mutex`: the thread sanitizer sees it
    private let ended = DispatchSemaphore(value: 0)

    /// Starts reading `fd`, which the drain then owns.
    /// - Parameters:
    ///   - fd: The read end of the pipe.
    ///   - limit: How many bytes to keep.
    init(reading fd: Int32, keeping limit: Int) {
        let thread = Thread { [self] in drain(fd, keeping: limit) }
        thread.name = "StandardErrorCapture"
        thread.start()
    }

    /// Waits until the reader has seen the end of the pipe, which comes as soon as every write end is closed.
    ///
    /// A child forked by another thread while fd 2 pointed into the pipe could hold a write end open for as long as
    /// it runs; the wait is bounded for that case, and the reader then goes on draining on its own.
    /// - Returns: The bytes kept.
    func finish() -> [UInt8] {
        _ = ended.wait(timeout: .now() + .seconds(2))
        return kept.withLock { $0 }
    }

    private func drain(_ fd: Int32, keeping limit: Int) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            kept.withLock { kept in
                let room = limit - kept.count
                if room > 0 { kept += buffer.prefix(min(room, count)) }
            }
        }
        close(fd)
        ended.signal()
    }
}
