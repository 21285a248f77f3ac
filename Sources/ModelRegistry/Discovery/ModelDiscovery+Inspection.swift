import Foundation

// MARK: - Inspection

extension ModelDiscovery {
    /// Examines one directory entry.
    /// - Parameter url: The entry.
    /// - Returns: The model it holds, or `nil` when it is not a model (another file, a folder without one).
    /// - Throws: Why the entry could not be examined.
    static func inspect(_ url: URL) throws(DiscoveryFailure) -> DiscoveredModel? {
        let status = try status(of: url)
        switch status.kind {
        case .regular:
            guard let format = ModelFormat(fileExtension: url.pathExtension) else { return nil }
            return try DiscoveredModel(
                name: url.deletingPathExtension().lastPathComponent, url: url, format: format, status: status)
        case .directory:
            return try inspectFolder(url)
        case .symbolicLink, .other:
            return nil
        }
    }

    /// Examines a folder: a model folder holds exactly one model file directly.
    private static func inspectFolder(_ url: URL) throws(DiscoveryFailure) -> DiscoveredModel? {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw DiscoveryFailure("cannot list the folder: \(error.localizedDescription)")
        }
        let candidates = names.filter { name in
            !name.hasPrefix(".") && ModelFormat(fileExtension: (name as NSString).pathExtension) != nil
        }.sorted()
        var files: [(url: URL, status: FileStatus)] = []
        for name in candidates {
            let file = url.appendingPathComponent(name)
            let status = try status(of: file)
            if status.kind == .regular { files.append((file, status)) }
        }
        guard files.count <= 1 else {
            let list = files.map(\.url.lastPathComponent).joined(separator: ", ")
            throw DiscoveryFailure(
                "the folder holds \(files.count) model files (\(list)); keep one model file per model folder")
        }
        guard let file = files.first, let format = ModelFormat(fileExtension: file.url.pathExtension) else {
            return nil
        }
        return try DiscoveredModel(name: url.lastPathComponent, url: file.url, format: format, status: file.status)
    }

    /// The status of an entry, following symbolic links; a dangling link is a failure that names its target.
    private static func status(of url: URL) throws(DiscoveryFailure) -> FileStatus {
        do {
            return try FileStatus(path: url.path, followingLinks: true)
        } catch {
            var reason = error.description
            if case .fileSystem(_, _, let systemReason) = error { reason = systemReason }
            if let link = try? FileStatus(path: url.path, followingLinks: false), link.kind == .symbolicLink {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                throw DiscoveryFailure("dangling symbolic link to \(target): \(reason)")
            }
            throw DiscoveryFailure("cannot examine it: \(reason)")
        }
    }
}
