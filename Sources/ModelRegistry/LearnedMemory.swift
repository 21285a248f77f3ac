import Foundation

/// The memory each model file was seen to hold once loaded, so the next admission decision for that file uses the
/// figure instead of the file-size guess. Keyed by the file's path, size and modification time, so a changed file
/// is guessed afresh. Kept on the registry actor; versions that came from a catalog also keep it there
/// (``ModelMetadata/loadedMemoryBytes``), across restarts.
struct LearnedMemory {
    /// A file as it is on disk now.
    struct FileKey: Hashable {
        let path: String
        let size: Int
        let modified: Date?

        /// The key of the file at `path`, or `nil` when it cannot be read (a folder model keys on the folder).
        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
            self.path = path
            size = (attributes[.size] as? Int) ?? 0
            modified = attributes[.modificationDate] as? Date
        }
    }

    private var bytesByFile: [FileKey: Int] = [:]

    /// The bytes recorded for the file at `path` as it is now, if any.
    func bytes(forFileAt path: String) -> Int? { FileKey(path: path).flatMap { bytesByFile[$0] } }

    /// Records what a load of the file at `path` was seen to hold.
    mutating func record(_ bytes: Int, forFileAt path: String) {
        guard bytes > 0, let key = FileKey(path: path) else { return }
        bytesByFile[key] = bytes
    }

    /// The process's resident memory now, in bytes (Linux `/proc/self/statm`; `nil` elsewhere).
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// What one load was seen to hold: the engine's own figure and the process's resident-size growth over the load.
struct LoadedFigures: Sendable {
    /// What the engine reported (``InferenceEngine/memoryFootprint()``).
    let reportedBytes: Int?
    /// How much the process's resident size grew over the load (other loads running at once add to it).
    let residentGrowth: Int?
    /// The local file the engine loaded.
    let path: String

    /// The figure admission uses next time: the engine's, else the resident growth.
    var learnedBytes: Int? { reportedBytes ?? residentGrowth }
}
