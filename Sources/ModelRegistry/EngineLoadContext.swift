/// What an engine receives when it loads: the model's public name, the private id of this load, and the model's
/// configuration (whose `name` is the public name, injected by the registry).
public struct EngineLoadContext: Sendable {
    /// The private id of this load, unique per load.
    public let modelID: ModelID
    /// The model's configuration, with `name` set to the public name.
    public let configuration: ModelConfiguration

    /// The public model name; use it in logs and error messages.
    public var name: String { configuration.name }

    /// Creates a load context.
    /// - Parameters:
    ///   - modelID: The private id of this load.
    ///   - configuration: The model's configuration.
    public init(modelID: ModelID, configuration: ModelConfiguration) {
        self.modelID = modelID
        self.configuration = configuration
    }
}
