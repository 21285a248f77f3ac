/// When an engine loads a file in a `model-preflight` child process before loading it in-process (the `preflight`
/// parameter).
public enum PreflightMode: String, Sendable, CaseIterable {
    /// Preflight files without a passing verdict in the cache: downloads and files not checked before (the default).
    case auto
    /// Preflight every load, ignoring (and refreshing) the cache.
    case always
    /// Never preflight: a file that makes the native library abort takes the process down.
    case never
}
