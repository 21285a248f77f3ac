import CLlama

/// The process-wide llama.cpp backend: `llama_backend_init()` runs once, lazily, the first time an engine loads a
/// model, after the log callback is installed. It is never freed: `llama_backend_free()` only matters at process exit.
enum LlamaBackend {
    private static let initialized: Bool = {
        LlamaLog.install()
        llama_backend_init()
        return true
    }()

    /// Initialises the backend if no engine has yet.
    static func ensureInitialized() {
        _ = initialized
    }
}
