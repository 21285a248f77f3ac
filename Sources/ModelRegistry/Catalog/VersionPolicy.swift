/// Which catalog version a model serves: written after the name in a request (`iris@staging`, `iris@1.2.0`), or
/// set per model (``ModelRegistry/useVersion(of:_:from:as:configure:)``), where ``ModelRegistry/refreshVersions()``
/// follows it as the catalog changes.
public enum VersionPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The production version.
    case production
    /// The highest version that is not archived.
    case latest
    /// The newest (highest) version in a stage, e.g. `staging`.
    case stage(ModelStage)
    /// One version.
    case pinned(SemanticVersion)

    /// Reads `production`, `latest`, a stage name (`staging`, `development`) or a version number (`1.2.0`).
    /// - Parameter text: The policy's text.
    /// - Throws: ``RegistryError/invalidVersion(_:)`` when the text is none of these.
    public init(parsing text: String) throws(RegistryError) {
        switch text {
        case "production": self = .production
        case "latest": self = .latest
        default:
            if let stage = ModelStage(rawValue: text) {
                self = .stage(stage)
            } else {
                self = .pinned(try SemanticVersion(parsing: text))
            }
        }
    }

    /// `production`, `latest`, the stage's name or the version number.
    public var description: String {
        switch self {
        case .production: "production"
        case .latest: "latest"
        case .stage(let stage): stage.rawValue
        case .pinned(let version): version.description
        }
    }
}

extension ModelCatalog {
    /// The version of a model a policy selects.
    /// - Parameters:
    ///   - name: The model name.
    ///   - policy: Which version.
    /// - Returns: The version.
    /// - Throws: ``RegistryError/noProductionVersion(name:available:)``,
    ///   ``RegistryError/versionNotFound(name:version:available:)`` (naming the versions the model has); file errors.
    public func version(of name: String, _ policy: VersionPolicy) throws(RegistryError) -> ModelVersion {
        let contents = try read()
        let versions = contents.versions(of: name)
        let available = versions.map { "\($0.version) (\($0.stage))" }
        switch policy {
        case .production:
            return try contents.production(of: name)
        case .pinned(let version):
            return try contents.version(name: name, version: version)
        case .latest:
            guard let latest = versions.last(where: { $0.stage != .archived }) else {
                throw .versionNotFound(name: name, version: "latest", available: available)
            }
            return latest
        case .stage(let stage):
            guard let newest = versions.last(where: { $0.stage == stage }) else {
                throw .versionNotFound(name: name, version: "a version in \(stage)", available: available)
            }
            return newest
        }
    }
}
