public import Foundation

/// A persisted catalog of model versions: a JSON file that several processes can read and change at once.
///
/// Every change is a read-modify-write under an exclusive `flock(2)` on a sidecar `<file>.lock`: the file is
/// re-read inside the lock, changed, written to a temporary file in the same directory, synced and renamed over
/// the original (then the directory is synced). Reads take a shared lock. So two processes that register at the
/// same moment both keep their versions, and a crash leaves the old file or the new one, never a torn one.
///
/// `ModelCatalog` is a `final class` rather than an actor: its methods are short, synchronous file operations
/// and it keeps no state besides the file, so callers need no `await`. Its lock serialises the threads of this
/// process with a lock (`flock` cannot tell two threads sharing one descriptor apart) and keeps other
/// instances and other processes out with `flock`. Methods block while another holder has the lock, which
/// lasts for one read-modify-write.
///
/// ```swift
/// let catalog = try ModelCatalog(fileURL: URL(fileURLWithPath: "/data/catalog.json"))
/// try catalog.register(ModelVersion(name: "iris", version: "1.0.0", path: "/models/iris.onnx", format: .onnx))
/// try catalog.promote(name: "iris", version: "1.0.0")
/// let config = try catalog.production(of: "iris").configuration()
/// ```
public final class ModelCatalog: Sendable {
    /// The catalog file.
    public let fileURL: URL
    /// The sidecar lock file, `<file>.lock`.
    public var lockURL: URL { URL(fileURLWithPath: fileURL.path + ".lock") }
    /// The `flock` on the sidecar lock file.
    private let lock: FileLock

    /// Opens a catalog file. A missing file is an empty catalog (the file is created by the first change); the
    /// directory must exist. The sidecar lock file is created next to it.
    /// - Parameter fileURL: The catalog's JSON file.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` when the file exists but is not a catalog (an
    ///   empty file included; it is left untouched); ``RegistryError/fileSystem(path:operation:reason:)`` when the lock file cannot be
    ///   opened or the catalog cannot be read.
    public init(fileURL: URL) throws(RegistryError) {
        self.fileURL = fileURL.standardizedFileURL
        lock = try FileLock(path: self.fileURL.path + ".lock")
        _ = try read()
    }

    /// Reads the catalog under a shared lock.
    /// - Returns: The file's contents, or an empty catalog when the file does not exist.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` or
    ///   ``RegistryError/fileSystem(path:operation:reason:)``.
    func read() throws(RegistryError) -> CatalogContents {
        try lock.withLock(.shared) { () throws(RegistryError) in try load() }
    }

    /// Changes the catalog in one locked read-modify-write: re-reads the file under an exclusive lock, applies
    /// `change`, and writes the result atomically if it differs. When `change` throws nothing is written.
    /// - Parameter change: The change; it may throw to abandon the write.
    /// - Returns: What `change` returns.
    /// - Throws: What `change` throws, ``RegistryError/corruptCatalog(file:reason:)`` or
    ///   ``RegistryError/fileSystem(path:operation:reason:)``.
    func update<Result: Sendable>(
        _ change: (inout CatalogContents) throws(RegistryError) -> Result
    ) throws(RegistryError) -> Result {
        try lock.withLock(.exclusive) { () throws(RegistryError) -> Result in
            let original = try load()
            var contents = original
            let result = try change(&contents)
            if contents != original {
                try AtomicFile.write(try contents.encoded(path: fileURL.path), to: fileURL)
            }
            return result
        }
    }

    /// Reads and decodes the file; the caller holds the lock.
    private func load() throws(RegistryError) -> CatalogContents {
        guard let data = try AtomicFile.read(fileURL) else { return CatalogContents() }
        return try CatalogContents(decoding: data, path: fileURL.path)
    }
}
