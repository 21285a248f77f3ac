import ModelRegistry

/// The file a preflight cleared, as it was when cleared: the engine confirms it just before the native library opens
/// the configured path (``confirm()``), so a symbolic link re-pointed or a file replaced after the preflight (a
/// Hugging Face cache updating a snapshot while the server loads it, say) is not opened unchecked in the host.
///
/// The check is a `stat` of the file the path leads to, compared with the device, inode, size and modification
/// time the preflight keyed its verdict by; what is left is the instant between that `stat` and the native open.
package struct PreflightClearance: Sendable {
    /// The model's public name, for the error.
    let model: String
    /// The configured path (a link, or the file itself).
    let path: String
    /// The cleared file.
    let file: FileIdentity

    /// Checks that the configured path still leads to the file the preflight cleared.
    /// - Throws: ``PreflightError/fileChanged(model:path:)`` when it leads to another file now, or to none.
    package func confirm() throws(PreflightError) {
        guard FileIdentity(path: SymbolicLinks.resolve(path)) == file else {
            throw .fileChanged(model: model, path: path)
        }
    }
}
