import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary file a download's attempts write to: hidden, next to the destination (so the final rename stays on
/// one file system and is atomic), with a unique name ending in `.partial`, so it never looks like a complete model
/// file. A later attempt may continue it (a `Range` request) or empty it and start over. It is either committed
/// (renamed onto the destination) or discarded. While open it holds an exclusive `flock(2)`, which the kernel drops
/// when the process dies: another process cleaning up leftovers (``removeAbandoned(for:unmodifiedFor:)``) never
/// removes the file of a download that is alive but has written nothing for a while (waiting out a retry's backoff,
/// or configured with a longer idle timeout).
struct PartialFile: Sendable {
    /// The temporary file.
    let url: URL
    /// The open file, for writing.
    let handle: FileHandle
    private let request: DownloadRequest

    /// Creates the destination's directory when missing, and an empty temporary file in it.
    /// - Parameter request: The request whose destination the file is for.
    /// - Throws: ``DownloadError/fileSystem(model:path:operation:reason:)`` when the directory or file cannot be made.
    init(for request: DownloadRequest) throws(DownloadError) {
        self.request = request
        let directory = request.destination.deletingLastPathComponent()
        url = directory.appendingPathComponent(Self.name(for: request, id: UUID()), isDirectory: false)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Self.failure(request, directory.path, "create the directory", error)
        }
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw Self.failure(request, url.path, "create the temporary file", String(cString: strerror(errno)))
        }
        do {
            handle = try FileHandle(forWritingTo: url)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw Self.failure(request, url.path, "open the temporary file", error)
        }
        // A file system without `flock` leaves the file unlocked: cleanup then goes by its age alone.
        _ = flock(handle.fileDescriptor, LOCK_EX | LOCK_NB)
    }

    /// An error about this file.
    /// - Parameters:
    ///   - operation: What failed, e.g. `"empty the temporary file"`.
    ///   - reason: The underlying error.
    func failure(_ operation: String, _ reason: Any) -> DownloadError {
        Self.failure(request, url.path, operation, reason)
    }

    /// Flushes the bytes to disk, closes the file and renames it onto the destination in one atomic step (an
    /// existing destination is replaced only now, by a complete and checked file).
    /// - Throws: ``DownloadError/fileSystem(model:path:operation:reason:)``; the temporary file is then removed.
    func commit() throws(DownloadError) {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            discard()
            throw Self.failure(request, url.path, "flush the temporary file", error)
        }
        guard rename(url.path, request.destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw Self.failure(request, request.destination.path, "move the finished download onto", reason)
        }
    }

    /// Closes and removes the temporary file.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    /// Removes the temporary files of `request`'s destination that a killed process left behind: those nothing has
    /// written to for longer than `age` and whose `flock` nobody holds (a live download in any process holds it, see
    /// ``PartialFile``; the age covers the instant between another process creating its file and locking it). Files
    /// that are not exactly `.<destination name>.<UUID>.partial` are never touched; failures to remove are ignored
    /// (the next download tries again).
    /// - Parameters:
    ///   - request: The download whose destination's leftovers to remove.
    ///   - age: How long a file must have gone unmodified.
    static func removeAbandoned(for request: DownloadRequest, unmodifiedFor age: Duration) {
        let files = FileManager.default
        let directory = request.destination.deletingLastPathComponent()
        let prefix = String(name(for: request, id: nil))
        let cutoff = Date(timeIntervalSinceNow: -age.seconds)
        guard let names = try? files.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            let id = name.dropFirst(prefix.count).dropLast(".partial".count)
            guard UUID(uuidString: String(id)) != nil else { continue }
            let path = directory.appendingPathComponent(name, isDirectory: false).path
            guard let modified = try? files.attributesOfItem(atPath: path)[.modificationDate] as? Date,
                modified < cutoff
            else { continue }
            removeUnlessLocked(path)
        }
    }

    /// Removes the file at `path` unless a live download holds its lock; holds the lock itself while it removes it,
    /// so a download cannot take the file over meanwhile.
    private static func removeUnlessLocked(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK else { return }
        unlink(path)
    }

    /// `.<destination name>.<id>.partial`, or without `id` the part before it (`.<destination name>.`).
    private static func name(for request: DownloadRequest, id: UUID?) -> String {
        let stem = ".\(request.destination.lastPathComponent.prefix(200))."
        guard let id else { return stem }
        return stem + id.uuidString + ".partial"
    }

    private static func failure(
        _ request: DownloadRequest, _ path: String, _ operation: String, _ reason: Any
    ) -> DownloadError {
        .fileSystem(model: request.modelName, path: path, operation: operation, reason: "\(reason)")
    }
}
