package import Foundation

/// What to download for a model, where to put it, and how to check it.
///
/// ```swift
/// let request = DownloadRequest(
///     modelName: "iris",
///     url: URL(string: "https://example.com/models/logreg_iris.onnx")!,
///     directory: URL(fileURLWithPath: "/var/lib/models"),
///     expectedSHA256: "…64 hex digits…"
/// )
/// ```
package struct DownloadRequest: Sendable, Hashable {
    /// The model the file belongs to; every error and progress report names it.
    package var modelName: String
    /// Where the file comes from: `http`/`https`, or `file://` / a plain path for a file that is already local.
    package var url: URL
    /// The file to create. Its directory is created when missing.
    package var destination: URL
    /// The file's SHA-256 as 64 hex digits (any case), or `nil` to skip the check.
    package var expectedSHA256: String?

    /// Creates a request.
    /// - Parameters:
    ///   - modelName: The model the file belongs to.
    ///   - url: Where the file comes from.
    ///   - destination: The file to create.
    ///   - expectedSHA256: The file's SHA-256 as hex, or `nil` to skip the check.
    package init(modelName: String, url: URL, destination: URL, expectedSHA256: String? = nil) {
        self.modelName = modelName
        self.url = url
        self.destination = destination
        self.expectedSHA256 = expectedSHA256?.lowercased()
    }

    /// Creates a request whose destination is a file in `directory` named after the URL: the first 12 hex digits of
    /// the URL's SHA-256, a dash, and the URL's last path component (`3f9a…-model.gguf`), so two URLs ending in the
    /// same file name do not collide and the same URL always maps to the same file. The file is always directly in
    /// `directory`: see ``fileName(for:)``.
    /// - Parameters:
    ///   - modelName: The model the file belongs to.
    ///   - url: Where the file comes from.
    ///   - directory: The models directory.
    ///   - expectedSHA256: The file's SHA-256 as hex, or `nil` to skip the check.
    package init(modelName: String, url: URL, directory: URL, expectedSHA256: String? = nil) {
        let prefix = SHA256.hex(SHA256.hash(Array(url.absoluteString.utf8))).prefix(12)
        let name = Self.fileName(for: url)
        self.init(
            modelName: modelName, url: url,
            destination: directory.appendingPathComponent("\(prefix)-\(name)", isDirectory: false),
            expectedSHA256: expectedSHA256
        )
    }

    /// The file name a URL's download gets: its last path component as Foundation decodes it, cut after the last
    /// `/` that decoding produced (`x/..%2F..%2F.bashrc` decodes to `../../.bashrc`, which would otherwise climb out
    /// of the models directory), `download` when nothing usable is left.
    /// - Parameter url: The remote URL.
    /// - Returns: A name with no `/` and no NUL, never `.` or `..`.
    package static func fileName(for url: URL) -> String {
        let last = url.lastPathComponent.split(separator: "/").last.map(String.init) ?? ""
        let name = last.filter { $0 != "\0" }
        return name.isEmpty || name == "." || name == ".." ? "download" : name
    }

    /// The URL in a model's `path` when it names a remote file (`http://` or `https://`), or `nil` for a local path.
    /// - Parameter path: A model path from a configuration.
    /// - Returns: The remote URL, or `nil`.
    package static func remoteURL(in path: String) -> URL? {
        guard let url = URL(string: path), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        return url
    }

    /// Whether `url` names a local file: a `file://` URL or a URL without a scheme (a plain path).
    var isLocal: Bool { url.isFileURL || url.scheme == nil }

    /// The local file `url` names; meaningful only when ``isLocal``.
    var localFile: URL { url.isFileURL ? url : URL(fileURLWithPath: url.relativeString) }
}
