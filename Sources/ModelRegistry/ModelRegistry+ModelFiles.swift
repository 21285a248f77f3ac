public import Foundation

extension ModelRegistry {
    /// Fetches a remote model's file (its `path` is an `http(s)` URL) without loading the model, and returns once
    /// the file is on disk and checked.
    ///
    /// It is the download a load starts with: concurrent calls, and a load running at the same time, share one
    /// transfer, and it publishes the same events (``RegistryEvent/Kind/downloadStarted(url:)``, progress,
    /// ``RegistryEvent/Kind/downloaded(path:)``, or ``RegistryEvent/Kind/downloadFailed(_:)``) while the model is
    /// `downloading`. A file already on disk is not downloaded again: when the model has a `sha256` it is hashed,
    /// with no download events, and a file that no longer matches is deleted and downloaded afresh. The download
    /// is bounded by the registry's download settings (idle timeout, retries, total deadline), not by a load
    /// timeout; cancelling the calling task stops it unless a load still waits for it.
    ///
    /// A model with a local `path` has nothing to download: its file is returned when it exists.
    ///
    /// ```swift
    /// try await registry.download("tiny")      // fetch at startup, load on the first request
    /// ```
    /// - Parameter name: The public name.
    /// - Returns: The model's file on disk.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``; ``RegistryError/downloadFailed(name:underlying:)``
    ///   naming the URL and the cause (`localFileMissing` for a local path that does not exist, `cancelled` when
    ///   the calling task is cancelled); ``RegistryError/fileSystem(path:operation:reason:)`` when the file on
    ///   disk cannot be read to check it.
    @discardableResult
    public func download(_ name: String) async throws(RegistryError) -> URL {
        let entry = try entry(name)
        guard let request = entry.downloadTo else {
            let path = entry.configuration.path
            guard FileManager.default.fileExists(atPath: path) else {
                throw .downloadFailed(name: name, underlying: .localFileMissing(model: name, path: path))
            }
            return URL(fileURLWithPath: path)
        }
        let registeredAt = entry.registeredAt
        entries[name]?.fileRequests += 1
        defer { if entries[name]?.registeredAt == registeredAt { entries[name]?.fileRequests -= 1 } }
        if fileIsOnDisk(name, request) {
            do {
                return try await verifiedFile(name, request)
            } catch {
                guard case .checksumMismatch = error else { throw error }  // deleted: fetch a good copy below
            }
        }
        return try await sharedDownload(name, request, load: nil)
    }

    /// Deletes the downloaded file of a remote model, which becomes `notDownloaded` (its next load, or
    /// ``download(_:)``, fetches the file again), and publishes ``RegistryEvent/Kind/downloadDeleted(path:)``.
    ///
    /// Refused while the model is loaded, loading, unloading, leased, or downloading (by a load or by
    /// ``download(_:)``), and likewise while another model with the same URL, which shares the file, is. Nothing is
    /// done when the file is not on disk.
    /// - Parameter name: The public name.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``;
    ///   ``RegistryError/downloadInUse(name:path:holder:state:leases:)`` naming the model using the file and what it
    ///   is doing; ``RegistryError/notRemote(name:path:)`` for a model with a local `path` (never deleted);
    ///   ``RegistryError/fileSystem(path:operation:reason:)`` when the file cannot be deleted.
    public func deleteDownloaded(_ name: String) throws(RegistryError) {
        let entry = try entry(name)
        guard let request = entry.downloadTo else { throw .notRemote(name: name, path: entry.configuration.path) }
        let path = request.destination.standardizedFileURL.path
        let sharing = entries.filter { $0.value.downloadTo?.destination.standardizedFileURL.path == path }
        for holder in [name] + sharing.keys.filter({ $0 != name }).sorted() {
            guard let user = entries[holder] else { continue }
            let leases = leaseTable.figures(holder).leases
            let state = user.state.kind
            if leases > 0 || [.downloading, .loading, .loaded, .unloading].contains(state) {
                throw .downloadInUse(name: name, path: path, holder: holder, state: state, leases: leases)
            }
            if user.fileRequests > 0 || user.downloadCallers > 0 {  // download(_:) checking the file on disk
                throw .downloadInUse(name: name, path: path, holder: holder, state: .downloading, leases: 0)
            }
        }
        if FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw .fileSystem(path: path, operation: "delete", reason: "\(error)")
            }
        }
        for changed in setDownloaded(request.destination, false) { publish(.downloadDeleted(path: path), for: changed) }
    }
}
