/// Where a model version is in its life: new versions start in development, are promoted to production (the
/// previous production version moves to staging), and are archived when retired.
public enum ModelStage: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Newly registered; not served by default.
    case development
    /// A candidate, or the version production replaced.
    case staging
    /// The version served by default. A catalog holds at most one per model name.
    case production
    /// Retired; kept for the record.
    case archived

    /// The stage's name, e.g. `"production"`.
    public var description: String { rawValue }
}
