extension ModelRegistry {
    /// Runs the registry as a long-lived service, shaped like swift-service-lifecycle's `Service.run()` so it can
    /// join a `ServiceGroup` without this package depending on it.
    ///
    /// Loads the models configured with `preload`, starts the periodic health checks, then waits until the calling
    /// task is cancelled, then calls ``shutdown()``.
    /// - Throws: The first preload error (see ``loadAll(_:)``); the registry is shut down before it is thrown.
    public func run() async throws {
        do {
            try await loadPreloaded()
        } catch {
            await shutdown()
            throw error
        }
        startHealthChecks()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    /// Unloads every model (waiting for leases as ``unload(_:drainTimeout:)`` does) and ends every event stream.
    /// Models whose leases outlast the drain deadline stay loaded; the streams end regardless.
    public func shutdown() async {
        stopHealthChecks()
        try? await unloadAll()
        broadcaster.finish()
    }
}
