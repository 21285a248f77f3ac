#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a regular file is known by on disk: its device, inode, size and modification time, which change whenever the
/// file is replaced or rewritten. Preflight verdicts are keyed by it (``PreflightVerdictCache/FileKeys``), and an
/// engine compares it again just before its native open (``PreflightClearance``).
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    /// The modification time, in microseconds since 1970.
    let modifiedMicroseconds: Int64

    /// The identity of the regular file at `path` now (symbolic links followed); `nil` when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedMicroseconds = Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }
}
