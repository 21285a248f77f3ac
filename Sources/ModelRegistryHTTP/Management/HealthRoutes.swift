import Foundation
import ModelRegistry

// MARK: - Health and metrics

extension RegistryRouter {
    /// `/health`, `/ready` and `/metrics`.
    static let healthRoutes: [Route] = [
        Route(.get, "/health") { _, _, _ in Routed(.json(["status": "ok"])) },
        Route(.get, "/ready") { router, _, _ in
            let waiting = await router.modelsNotReady()
            guard waiting.isEmpty else {
                throw HTTPError(
                    status: 503, code: "not_ready",
                    message: "preloaded models not loaded yet: \(waiting.joined(separator: ", "))", retryAfterSeconds: 1)
            }
            return Routed(.json(["status": "ready"]))
        },
        Route(.get, "/metrics") { router, _, _ in
            Routed(.text(await router.prometheusText(), contentType: "text/plain; version=0.0.4; charset=utf-8"))
        },
    ]

    /// The preloaded models that are not loaded.
    func modelsNotReady() async -> [String] {
        await registry.records.filter { $0.configuration.preload && !$0.state.isLoaded }.map(\.name)
    }
}
