/// A model that holds part of the registry's capacity, as listed when a load cannot fit.
public struct CapacityHolder: Sendable, Hashable, CustomStringConvertible {
    /// The model's public name.
    public var name: String
    /// Bytes it holds or has reserved.
    public var bytes: Int
    /// Leases held on it now (a leased model is not evicted).
    public var leases: Int
    /// Whether it is pinned (a pinned model is not evicted).
    public var pinned: Bool
    /// Its lifecycle state.
    public var state: ModelState.Kind

    /// Creates a holder entry.
    /// - Parameters:
    ///   - name: The model's public name.
    ///   - bytes: Bytes held or reserved.
    ///   - leases: Leases held.
    ///   - pinned: Whether the model is pinned.
    ///   - state: The state.
    public init(name: String, bytes: Int, leases: Int, pinned: Bool, state: ModelState.Kind) {
        self.name = name
        self.bytes = bytes
        self.leases = leases
        self.pinned = pinned
        self.state = state
    }

    /// E.g. `big (4000 bytes, loaded, 1 lease, pinned)`.
    public var description: String {
        var parts = ["\(bytes) bytes", state.rawValue]
        if leases > 0 { parts.append("\(leases) lease\(leases == 1 ? "" : "s")") }
        if pinned { parts.append("pinned") }
        return "\(name) (\(parts.joined(separator: ", ")))"
    }
}
