extension ModelRegistry {
    /// Loads several models at once and fails fast: on the first error the other loads are cancelled, the models
    /// this call loaded are unloaded again, and the error is thrown, so nothing is left half loaded.
    /// - Parameter names: The models to load; `nil` loads every registered model.
    /// - Throws: The first load error (see ``load(_:timeout:)``).
    public func loadAll(_ names: [String]? = nil) async throws(RegistryError) {
        let names = names ?? availableModels
        for name in names { _ = try entry(name) }
        let alreadyLoaded = Set(loadedModels)
        let failure: RegistryError? = await withTaskGroup(of: RegistryError?.self) { group in
            for name in names {
                group.addTask {
                    do throws(RegistryError) { try await self.load(name) } catch { return error }
                    return nil
                }
            }
            for await case let error? in group {
                group.cancelAll()
                return error
            }
            return nil
        }
        guard let failure else { return }
        for name in names where !alreadyLoaded.contains(name) {
            try? cancelLoad(name)
            try? await unload(name)
        }
        throw failure
    }

    /// Loads the models whose configuration sets `preload`.
    /// - Throws: The first load error, as ``loadAll(_:)`` does.
    public func loadPreloaded() async throws(RegistryError) {
        try await loadAll(configurations.filter(\.preload).map(\.name))
    }
}
