import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` or `lstat(2)` says about a path: its kind, size and modification time.
struct FileStatus: Sendable {
    /// The kinds of file discovery tells apart.
    enum Kind: Sendable {
        case regular, directory, symbolicLink, other
    }

    /// The file's kind.
    let kind: Kind
    /// The size in bytes.
    let size: Int64
    /// The last modification time.
    let modified: Date

    /// Reads a path's status.
    /// - Parameters:
    ///   - path: The path.
    ///   - followingLinks: `true` for `stat(2)` (the link's target), `false` for `lstat(2)` (the link itself).
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` with `strerror`'s text.
    init(path: String, followingLinks: Bool) throws(RegistryError) {
        var status = stat()
        let result = followingLinks ? stat(path, &status) : lstat(path, &status)
        guard result == 0 else { throw SystemCall.error(path: path, operation: followingLinks ? "stat" : "lstat") }
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        size = Int64(status.st_size)
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        modified = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }
}
