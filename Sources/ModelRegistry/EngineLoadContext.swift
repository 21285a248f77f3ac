/// What an engine receives when it loads: the model's public name, the private id of this load, the model's
/// configuration (whose `name` is the public name, injected by the registry), and where to report progress.
public struct EngineLoadContext: Sendable {
    /// The private id of this load, unique per load.
    public let modelID: ModelID
    /// The model's configuration, with `name` set to the public name.
    public let configuration: ModelConfiguration
    /// Receives the fraction of the load done (`0...1`); the registry publishes it as
    /// ``RegistryEvent/Kind/loadProgress(_:)``. Call it from any thread, as often as the engine can tell; calls
    /// that move less than a percent are not published.
    public let reportProgress: @Sendable (Double) -> Void
    /// The SHA-256 (lowercase hex) the registry found the bytes of `configuration.path` to have during this load: a
    /// remote model with a configured `sha256`, whose download (or file already on disk) was just checked. `nil` when
    /// nobody hashed the file. An engine that needs the file's hash uses this instead of reading the file again.
    public let verifiedSHA256: String?

    /// The public model name; use it in logs and error messages.
    public var name: String { configuration.name }

    /// Creates a load context.
    /// - Parameters:
    ///   - modelID: The private id of this load.
    ///   - configuration: The model's configuration.
    ///   - reportProgress: Receives the fraction of the load done; ignores it by default.
    ///   - verifiedSHA256: The SHA-256 the file was found to have during this load, if it was hashed.
    public init(
        modelID: ModelID, configuration: ModelConfiguration,
        reportProgress: @escaping @Sendable (Double) -> Void = { _ in }, verifiedSHA256: String? = nil
    ) {
        self.modelID = modelID
        self.configuration = configuration
        self.reportProgress = reportProgress
        self.verifiedSHA256 = verifiedSHA256
    }
}
