#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Symbolic links in model paths. Hugging Face caches store every file as a link
/// (`snapshots/<revision>/model.gguf -> ../../blobs/<hash>`), so whatever examines a model file follows them.
package enum SymbolicLinks {
    /// `path` with every symbolic link in it followed (`realpath(3)`): the file an open of `path` would read.
    /// - Parameter path: A local path.
    /// - Returns: The resolved absolute path, or `path` itself when it cannot be resolved (a missing file, a dangling
    ///   link: whoever opens it then reports that).
    package static func resolve(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
