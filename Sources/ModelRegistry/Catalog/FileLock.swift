#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock on a sidecar lock file (`flock(2)`), shared by readers and exclusive for writers, that
/// serialises every process that uses the same lock file.
///
/// The lock file is created on first use and never deleted: deleting it would let two processes lock two
/// different files. `flock` locks belong to the open file description, so it cannot tell two threads that share
/// one descriptor apart: a ``Locked`` value serialises the threads of this process, and `flock` the processes (and other
/// `FileLock`s on the same file). The class is `Sendable` because its stored properties are immutable or a
/// ``Locked``.
final class FileLock: Sendable {
    /// How a lock is held.
    enum Mode {
        /// Many holders at once; for reading.
        case shared
        /// One holder; for read-modify-write.
        case exclusive
    }

    /// The lock file's path, e.g. `/data/catalog.json.lock`.
    let path: String
    /// The open descriptor this object owns and closes in `deinit`.
    private let descriptor: Int32
    /// The descriptor again, behind a lock that serialises the threads of this process using it (`flock` locks
    /// belong to the open file, so threads sharing it would not exclude each other).
    private let threads: Locked<Int32>

    /// Opens (creating it if needed) the lock file. A lock file that exists but cannot be opened for writing
    /// (a read-only directory) is opened read-only, which `flock` accepts.
    /// - Parameter path: The lock file's path.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when the file can be neither created nor
    ///   opened.
    init(path: String) throws(RegistryError) {
        self.path = path
        var descriptor = SystemCall.open(path, flags: O_RDWR | O_CREAT)
        if descriptor < 0, errno == EACCES || errno == EROFS {
            descriptor = SystemCall.open(path, flags: O_RDONLY)
        }
        guard descriptor >= 0 else { throw SystemCall.error(path: path, operation: "open the lock file") }
        self.descriptor = descriptor
        threads = Locked(descriptor)
    }

    deinit { SystemCall.close(descriptor) }

    /// Runs `body` while holding the lock, waiting for other holders as needed, and releases it afterwards
    /// (also when `body` throws).
    /// - Parameters:
    ///   - mode: Shared for reading, exclusive for read-modify-write.
    ///   - body: The work to do under the lock.
    /// - Returns: What `body` returns.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when `flock(2)` fails, or what `body` throws.
    func withLock<Result: Sendable>(
        _ mode: Mode, _ body: () throws(RegistryError) -> Result
    ) throws(RegistryError) -> Result {
        try threads.withLock { descriptor throws(RegistryError) -> Result in
            let operation = mode == .shared ? LOCK_SH : LOCK_EX
            try SystemCall.retrying(path: path, operation: "lock") { [descriptor] in flock(descriptor, operation) }
            defer { _ = flock(descriptor, LOCK_UN) }
            return try body()
        }
    }
}
