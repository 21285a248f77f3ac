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

    /// The public model name; use it in logs and error messages.
    public var name: String { configuration.name }

    /// Creates a load context.
    /// - Parameters:
    ///   - modelID: The private id of this load.
    ///   - configuration: The model's configuration.
    ///   - reportProgress: Receives the fraction of the load done; ignores it by default.
    public init(
        modelID: ModelID, configuration: ModelConfiguration, reportProgress: @escaping @Sendable (Double) -> Void = { _ in }
    ) {
        self.modelID = modelID
        self.configuration = configuration
        self.reportProgress = reportProgress
    }
}
