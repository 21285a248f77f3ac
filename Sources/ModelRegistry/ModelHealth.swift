/// The health an engine reports, and that the registry aggregates over all loaded models.
public enum ModelHealth: Sendable, Hashable, CustomStringConvertible {
    /// No health check has run yet.
    case unknown
    /// The engine serves requests normally.
    case healthy
    /// The engine serves requests, but something is off (the reason says what).
    case degraded(reason: String)
    /// The engine cannot serve requests (the reason says why).
    case unhealthy(reason: String)

    /// `healthy`, `degraded`, `unhealthy` or `unknown`, without the reason.
    public var label: String {
        switch self {
        case .unknown: "unknown"
        case .healthy: "healthy"
        case .degraded: "degraded"
        case .unhealthy: "unhealthy"
        }
    }

    /// The label, followed by the reason when there is one.
    public var description: String {
        switch self {
        case .unknown, .healthy: label
        case .degraded(let reason), .unhealthy(let reason): "\(label): \(reason)"
        }
    }

    /// The registry-wide health of a set of model healths, ignoring models not checked yet: all healthy → healthy,
    /// none serving (every one unhealthy) → unhealthy, otherwise degraded. With nothing checked it is unknown.
    /// - Parameter healths: The per-model healths.
    /// - Returns: The aggregate health.
    public static func aggregate(_ healths: some Collection<ModelHealth>) -> ModelHealth {
        let checked = healths.filter { $0 != .unknown }
        guard !checked.isEmpty else { return .unknown }
        let healthy = checked.filter { $0 == .healthy }.count
        let serving = checked.count { if case .unhealthy = $0 { false } else { true } }
        if healthy == checked.count { return .healthy }
        if serving == 0 { return .unhealthy(reason: "no model is serving") }
        return .degraded(reason: "\(healthy) of \(checked.count) models healthy")
    }
}
