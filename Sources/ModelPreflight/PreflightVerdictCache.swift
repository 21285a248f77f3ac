import Foundation
import ModelRegistry

/// The passing verdicts of earlier preflights, one small file per verdict in a folder, so a file is checked once.
///
/// A verdict is keyed by the file's identity (device, inode, size and modification time, which change whenever the
/// file is replaced or rewritten), and also by its SHA-256 when the configuration gives one, so a re-downloaded copy
/// of the same bytes is not checked again. A configured hash is a claim, not a fact (the registry checks it only for
/// downloads, and a local file with one is never hashed), so the hash key is written and believed only once the
/// cache has hashed the file and found that hash: a replaced file of the same size is checked again. Both keys also
/// hold a digest of the load settings the child used (``settingsDigest(of:)``): a file that loads with a 2,048-token
/// context may abort with a 1,000,000-token one, so a pass for one setting is not believed for another. Only passes are
/// cached: a file that crashed the child is checked again next time (it fails fast), so a fixed file needs no cache
/// purge.
struct PreflightVerdictCache: Sendable {
    /// Bumped when what a preflight checks, or how a verdict is keyed, changes, so older verdicts no longer count
    /// (v1 keyed files by `st_rdev`, 0 for every regular file, and believed unverified hashes; v2 ignored the load
    /// settings).
    static let version = "v3"

    /// A digest of what the child's load depends on besides the file: the engine and model type, the context
    /// length, threads, batch size and parallel sequences, and the engine parameters other than the preflight's own
    /// (``PreflightOptions/parameterKeys``). The model's name, version, pool and keep-alive settings do not change
    /// how the native library loads the file, so they are left out.
    static func settingsDigest(of configuration: ModelConfiguration) -> String {
        let optional = { (value: Int?) in value.map(String.init) ?? "-" }
        var fields = [
            "engine=\(configuration.engine.rawValue)", "type=\(configuration.modelType.rawValue)",
            "context=\(optional(configuration.contextLength))", "threads=\(optional(configuration.threads))",
            "batch=\(optional(configuration.batchSize))", "parallel=\(optional(configuration.parallel))",
        ]
        for (key, value) in configuration.parameters.sorted(by: { $0.key < $1.key })
        where !PreflightOptions.parameterKeys.contains(key) {
            fields.append("parameter \(key.utf8.count):\(key)=\(value)")
        }
        return String(SHA256.hex(SHA256.hash(Array(fields.joined(separator: "\n").utf8))).prefix(16))
    }

    /// What the cache knows one file by, examined once per load.
    final class FileKeys: Sendable {
        /// The file, its symbolic links followed.
        let path: String
        /// The file's identity when examined.
        let file: FileIdentity
        /// The key of the file's identity.
        let identity: String
        /// The key of the configured SHA-256 and the size, `nil` without a well-formed hash.
        let content: String?
        private let sha256: String?
        /// Whether the file's bytes have the configured hash, once hashed.
        private let hashed = Locked<Bool?>(nil)

        /// The keys the file at `path` has now; `nil` when it cannot be examined (the load then reports why).
        /// - Parameters:
        ///   - path: The file, its symbolic links already followed (``SymbolicLinks/resolve(_:)``).
        ///   - sha256: The configuration's `sha256`.
        ///   - verifiedSHA256: The hash the registry found the file to have during this load
        ///     (``EngineLoadContext/verifiedSHA256``): believed, so a file just downloaded and checked is not read
        ///     a second time.
        ///   - settings: The load settings' ``PreflightVerdictCache/settingsDigest(of:)``.
        init?(path: String, sha256: String?, verifiedSHA256: String? = nil, settings: String) {
            guard let file = FileIdentity(path: path) else { return nil }
            self.path = path
            self.file = file
            let fileKey = "\(file.device)-\(file.inode)-\(file.size)-\(file.modifiedMicroseconds)"
            identity = "\(version)-file-\(fileKey)-\(settings)"
            if let configured = sha256?.lowercased(), configured.count == 64, configured.allSatisfy(\.isHexDigit) {
                self.sha256 = configured
                content = "\(version)-sha256-\(configured)-\(file.size)-\(settings)"
                if let verifiedSHA256 { hashed.withLock { $0 = verifiedSHA256.lowercased() == configured } }
            } else {
                self.sha256 = nil
                content = nil
            }
        }

        /// Whether the file's bytes have the configured SHA-256, hashing the file (on a thread of its own: a model
        /// takes seconds) the first time it is asked, unless the registry already did.
        func hasConfiguredHash() async -> Bool {
            if let known = hashed.withLock({ $0 }) { return known }
            guard let sha256 else { return false }
            let path = path
            let matches = await DedicatedThread.run("ModelPreflight.SHA256") {
                (try? SHA256.hex(SHA256.hash(fileAt: URL(fileURLWithPath: path)))) == sha256
            }
            hashed.withLock { $0 = matches }
            return matches
        }
    }

    let directory: URL

    /// Whether the file has a passing verdict: under its identity, or under its configured hash once its bytes are
    /// found to have that hash (the pass is then recorded under its identity too, so it is hashed once).
    func hasPass(for keys: FileKeys) async -> Bool {
        if exists(keys.identity) { return true }
        guard let content = keys.content, exists(content), await keys.hasConfiguredHash() else { return false }
        record(keys.identity, path: keys.path)
        return true
    }

    /// Records a pass under the file's identity, and under its configured hash when its bytes have it; a cache that
    /// cannot be written only costs a preflight next time.
    func recordPass(for keys: FileKeys) async {
        record(keys.identity, path: keys.path)
        if let content = keys.content, await keys.hasConfiguredHash() { record(content, path: keys.path) }
    }

    private func exists(_ key: String) -> Bool { FileManager.default.fileExists(atPath: url(for: key).path) }

    private func record(_ key: String, path: String) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = "passed \(ISO8601DateFormatter().string(from: Date())) \(path)\n"
        try? Data(text.utf8).write(to: url(for: key), options: .atomic)
    }

    private func url(for key: String) -> URL { directory.appendingPathComponent("\(key).pass") }
}
