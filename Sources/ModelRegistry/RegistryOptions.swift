/// Registry-wide settings.
public struct RegistryOptions: Sendable {
    /// How long ``ModelRegistry/unload(_:drainTimeout:)`` waits for leases to end when the caller gives no deadline.
    public var unloadDrainTimeout: Duration
    /// The load timeout for models whose configuration sets none; `nil` means no limit.
    public var defaultLoadTimeout: Duration?

    /// Creates registry settings.
    /// - Parameters:
    ///   - unloadDrainTimeout: The default deadline for leases to end during an unload.
    ///   - defaultLoadTimeout: The load timeout for models that set none.
    public init(unloadDrainTimeout: Duration = .seconds(30), defaultLoadTimeout: Duration? = nil) {
        self.unloadDrainTimeout = unloadDrainTimeout
        self.defaultLoadTimeout = defaultLoadTimeout
    }
}
