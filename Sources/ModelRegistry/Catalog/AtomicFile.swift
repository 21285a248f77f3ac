import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and crash-safe whole-file replacement.
///
/// ``write(_:to:)`` writes a temporary file in the same directory, `fsync`s it, `rename`s it over the target
/// and `fsync`s the directory: a reader sees the old bytes or the new ones, never a mix, and after a crash the
/// file holds one of them. Callers that read, modify and write hold a ``FileLock`` around the whole sequence.
enum AtomicFile {
    /// Reads a whole file.
    /// - Parameter url: The file.
    /// - Returns: Its bytes, or `nil` when the file does not exist.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when it exists but cannot be read.
    static func read(_ url: URL) throws(RegistryError) -> Data? {
        let path = url.path
        let descriptor = SystemCall.open(path, flags: O_RDONLY)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw SystemCall.error(path: path, operation: "open")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw .fileSystem(path: path, operation: "read", reason: "\(error)")
        }
    }

    /// Replaces a file's contents atomically and durably.
    /// - Parameters:
    ///   - data: The new contents.
    ///   - url: The file to replace (or create).
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` naming the step that failed; the original
    ///   file is then unchanged and the temporary file removed.
    static func write(_ data: Data, to url: URL) throws(RegistryError) {
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp").path
        let descriptor = try SystemCall.open(
            temporary, flags: O_WRONLY | O_CREAT | O_EXCL, operation: "create a temporary file for")
        var renamed = false
        defer { if !renamed { _ = unlink(temporary) } }
        do {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .fileSystem(path: temporary, operation: "write and sync", reason: "\(error)")
        }
        try SystemCall.retrying(path: url.path, operation: "rename \(temporary) over") { rename(temporary, url.path) }
        renamed = true
        try syncDirectory(directory)
    }

    /// `fsync`s a directory so a rename in it survives a crash.
    /// - Parameter path: The directory.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when it cannot be opened or synced.
    private static func syncDirectory(_ path: String) throws(RegistryError) {
        let descriptor = try SystemCall.open(path, flags: O_RDONLY | O_DIRECTORY, operation: "open directory")
        defer { SystemCall.close(descriptor) }
        try SystemCall.retrying(path: path, operation: "sync directory") { fsync(descriptor) }
    }
}
