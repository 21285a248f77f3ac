/// One swap of a loaded model from one configuration (usually a catalog version) to another, as its events
/// report it (``RegistryEvent/Kind/swapStarted(_:)`` and the events after it).
public struct VersionSwap: Sendable, Hashable, CustomStringConvertible {
    /// How the swap keeps requests served.
    public enum Mode: String, Sendable, Hashable {
        /// The new version loads beside the old one, which serves every request until the new one is loaded
        /// (and warmed up); then new leases go to the new one and the old one drains and unloads. No request waits.
        case sideBySide
        /// Both versions do not fit the memory budget at once: the old one drains and unloads first, new requests
        /// wait (bounded by the model's load timeout) and are served by the new version once it is loaded.
        case resourcePreserving
    }

    /// The version swapped from (``ModelConfiguration/version``, else its path).
    public var from: String
    /// The version swapped to.
    public var to: String
    /// How the swap runs, chosen from the memory budget.
    public var mode: Mode

    /// Creates a swap description.
    /// - Parameters:
    ///   - from: The old version.
    ///   - to: The new version.
    ///   - mode: How the swap runs.
    public init(from: String, to: String, mode: Mode) {
        self.from = from
        self.to = to
        self.mode = mode
    }

    /// E.g. `1.0.0 → 1.1.0 (sideBySide)`.
    public var description: String { "\(from) → \(to) (\(mode.rawValue))" }
}
