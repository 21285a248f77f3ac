import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A model file found by ``ModelDiscovery``, before it is compared with the catalog.
struct DiscoveredModel: Sendable {
    /// The catalog name: the file name without its extension, or the model folder's name.
    let name: String
    /// The model file's path (inside its folder for a model folder).
    let path: String
    /// The format, from the file extension.
    let format: ModelFormat
    /// Size, modification time and, for GGUF, header values.
    let metadata: ModelMetadata

    /// Whether a catalog entry describes this same file unchanged: same path and size, and a modification time
    /// within a millisecond (the catalog stores times with millisecond precision).
    /// - Parameter version: A catalog entry.
    func matches(_ version: ModelVersion) -> Bool {
        guard version.path == path, version.metadata.sizeBytes == metadata.sizeBytes else { return false }
        guard let stored = version.metadata.created, let current = metadata.created else { return false }
        return abs(stored.timeIntervalSince(current)) <= 0.001
    }

    /// A catalog entry for this file.
    /// - Parameter version: The version number to register.
    func catalogVersion(_ version: SemanticVersion) -> ModelVersion {
        ModelVersion(name: name, version: version, path: path, format: format, stage: .development, metadata: metadata)
    }

    /// Examines a model file: its status, and for GGUF its header.
    /// - Parameters:
    ///   - name: The catalog name.
    ///   - url: The model file.
    ///   - format: Its format.
    ///   - status: Its `stat(2)` status (following links).
    /// - Throws: A reason when the file cannot be read or is not in its format.
    init(name: String, url: URL, format: ModelFormat, status: FileStatus) throws(DiscoveryFailure) {
        guard status.size > 0 else { throw DiscoveryFailure("the file is empty") }
        var metadata = ModelMetadata(source: "discovery", sizeBytes: status.size, created: status.modified)
        let prefix = try Self.readPrefix(url.path, length: format == .gguf ? GGUFHeader.prefixLength : 16)
        if format == .gguf {
            do {
                let header = try GGUFHeader(parsing: prefix)
                metadata.architecture = header.architecture
                metadata.contextLength = header.contextLength
                metadata.quantization = header.quantization
            } catch {
                throw DiscoveryFailure(error.reason)
            }
        }
        self.name = name
        self.path = url.path
        self.format = format
        self.metadata = metadata
    }

    /// The first bytes of a file.
    private static func readPrefix(_ path: String, length: Int) throws(DiscoveryFailure) -> [UInt8] {
        let descriptor = SystemCall.open(path, flags: O_RDONLY)
        guard descriptor >= 0 else { throw DiscoveryFailure("cannot open it: \(SystemCall.message(errno))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            return Array(try handle.read(upToCount: length) ?? Data())
        } catch {
            throw DiscoveryFailure("cannot read it: \(error)")
        }
    }
}

/// Why an entry was not registered; it becomes a line of ``DiscoveryStats/errors``.
struct DiscoveryFailure: Error, Sendable {
    /// What went wrong.
    let reason: String

    /// Creates a failure.
    /// - Parameter reason: What went wrong.
    init(_ reason: String) { self.reason = reason }
}
