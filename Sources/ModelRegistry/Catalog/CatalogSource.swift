/// Where a model's version comes from: a catalog, the name it has there, the policy that selects the version and
/// the caller's adjustments to the configuration made from it.
struct CatalogSource: Sendable {
    let catalog: ModelCatalog
    let name: String
    let policy: VersionPolicy
    let configure: @Sendable (inout ModelConfiguration) -> Void

    /// The configuration of the version the policy selects now, registered under `publicName`; the memory the
    /// catalog recorded for the version seeds `learned`.
    func configuration(publicName: String, learnInto learned: inout LearnedMemory) throws(RegistryError)
        -> ModelConfiguration
    {
        let version = try catalog.version(of: name, policy)
        var configuration = try version.configuration(name: publicName)
        configure(&configuration)
        configuration.name = publicName
        configuration.version = version.version.description
        if let bytes = version.metadata.loadedMemoryBytes { learned.record(bytes, forFileAt: configuration.path) }
        return configuration
    }

    /// The same source with another policy (a `model@version` request's own model is pinned).
    func pinned(to policy: VersionPolicy) -> CatalogSource {
        CatalogSource(catalog: catalog, name: name, policy: policy, configure: configure)
    }
}
