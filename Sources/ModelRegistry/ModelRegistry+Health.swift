extension ModelRegistry {
    /// Starts checking every loaded model's health each ``RegistryOptions/healthCheckInterval`` (on the registry's
    /// clock) until ``stopHealthChecks()`` or ``shutdown()``. Does nothing when no interval is set or checks run.
    public func startHealthChecks() {
        guard healthChecks == nil, let interval = options.healthCheckInterval else { return }
        healthChecks = Task { [clock] in
            while (try? await clock.sleep(for: interval)) != nil {
                await self.checkHealth()
            }
        }
    }

    /// Stops the periodic health checks.
    public func stopHealthChecks() {
        healthChecks?.cancel()
        healthChecks = nil
    }
}
