import Foundation

/// The passing verdicts of earlier preflights, one small file per verdict in a folder, so a file is checked once.
///
/// A verdict is keyed by the file's identity (device, inode, size and modification time, which change whenever the
/// file is replaced or rewritten), and also by its SHA-256 when the configuration gives one (the registry verifies
/// downloads against it), so a re-downloaded copy of the same bytes is not checked again. Only passes are cached: a
/// file that crashed the child is checked again next time (it fails fast), so a fixed file needs no cache purge.
struct PreflightVerdictCache: Sendable {
    /// Bumped when what a preflight checks changes, so older verdicts no longer count.
    static let version = "v1"

    let directory: URL

    /// The keys a file has now; `nil` when the file cannot be examined (the load then reports why).
    static func keys(forFileAt path: String, sha256: String?) -> [String]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.type] as? FileAttributeType) == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.int64Value,
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
        else { return nil }
        let device = (attributes[.deviceIdentifier] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        let microseconds = Int64((modified * 1_000_000).rounded())
        var keys = ["\(version)-file-\(device)-\(inode)-\(size)-\(microseconds)"]
        if let sha256, sha256.count == 64, sha256.allSatisfy(\.isHexDigit) {
            keys.append("\(version)-sha256-\(sha256.lowercased())-\(size)")
        }
        return keys
    }

    /// Whether any of the keys has a passing verdict.
    func hasPass(for keys: [String]) -> Bool {
        keys.contains { FileManager.default.fileExists(atPath: url(for: $0).path) }
    }

    /// Records a pass under every key; a cache that cannot be written only costs a preflight next time.
    func recordPass(for keys: [String], path: String) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = "passed \(ISO8601DateFormatter().string(from: Date())) \(path)\n"
        for key in keys {
            try? Data(text.utf8).write(to: url(for: key), options: .atomic)
        }
    }

    private func url(for key: String) -> URL { directory.appendingPathComponent("\(key).pass") }
}
