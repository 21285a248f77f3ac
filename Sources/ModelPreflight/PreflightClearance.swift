import ModelRegistry

/// The file a preflight cleared, as it was when cleared: the engine confirms it just before the native library opens
/// the configured path (``confirm()``), so a symbolic link re-pointed or a file replaced after the preflight (a
/// Hugging Face cache updating a snapshot while the server loads it, say) is not opened unchecked in the host.
///
/// The check is a `stat` of the file the path leads to, compared with the device, inode, size and modification
/// time the preflight keyed its verdict by; what is left is the instant between that `stat` and the native open.
///
/// A clearance may also say the child's engine refused the file (``refusal``): ``confirm()`` then throws that
/// refusal, so the host never opens natively a file no child has opened without crashing. An engine confirms after
/// its own in-process checks, which refuse most such files first with their usual, typed errors.
package struct PreflightClearance: Sendable {
    /// The model's public name, for the error.
    let model: String
    /// The configured path (a link, or the file itself).
    let path: String
    /// The cleared file.
    let file: FileIdentity
    /// What the child reported when its engine refused the file instead of loading it; `nil` when it passed or no
    /// child ran.
    package private(set) var refusal: PreflightRefusal?

    init(model: String, path: String, file: FileIdentity) {
        self.model = model
        self.path = path
        self.file = file
    }

    /// This clearance, with the child's refusal of the file.
    func refused(_ refusal: PreflightRefusal) -> PreflightClearance {
        var clearance = self
        clearance.refusal = refusal
        return clearance
    }

    /// Checks that the configured path still leads to the file the preflight cleared, and that the child did not
    /// refuse it.
    /// - Throws: ``PreflightError/fileChanged(model:path:)`` when it leads to another file now, or to none;
    ///   ``PreflightError/childRefused(model:path:reason:)`` when the child's engine refused the file.
    package func confirm() throws(PreflightError) {
        guard FileIdentity(path: SymbolicLinks.resolve(path)) == file else {
            throw .fileChanged(model: model, path: path)
        }
        if let refusal { throw .childRefused(model: model, path: path, reason: refusal.message) }
    }
}
