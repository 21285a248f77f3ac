public import Foundation

/// Registry-wide settings. In a configuration file they sit under `"registry"`, with durations in seconds:
/// `{"maxLoadedModels": 2, "memoryBudgetBytes": 4000000000, "maxConcurrentLoads": 1, "keepAlive": 300, ...}`.
public struct RegistryOptions: Sendable, Hashable {
    /// How long ``ModelRegistry/unload(_:drainTimeout:)`` waits for leases to end when the caller gives no deadline.
    public var unloadDrainTimeout: Duration
    /// The load timeout for models whose configuration sets none; `nil` means no limit.
    public var defaultLoadTimeout: Duration?
    /// Loads that may run at once; further loads wait their turn in request order. `nil` means no limit.
    public var maxConcurrentLoads: Int?
    /// Models that may be loaded at once; loading one more evicts the least recently used idle model.
    public var maxLoadedModels: Int?
    /// Bytes the loaded models may hold in all (as engines report, estimated from file size before a load).
    public var memoryBudget: Int?
    /// How long a load waits for an evictable model when the limits are reached and every model is leased or pinned.
    public var capacityWaitTimeout: Duration
    /// The keep-alive of models whose configuration sets none.
    public var defaultKeepAlive: KeepAlive
    /// Back-off between failed loads: the first retry after `retryBackoff.initial`, doubling up to `.maximum`.
    public var retryBackoff: RetryBackoff
    /// How often the periodic health check that ``ModelRegistry/run()`` (or ``ModelRegistry/startHealthChecks()``)
    /// starts checks every loaded model's health; `nil` turns periodic checks off.
    public var healthCheckInterval: Duration?
    /// Where models whose `path` is an `http(s)` URL are downloaded to.
    public var modelsDirectory: URL
    /// Downloads that may transfer at once; later ones wait in request order.
    public var maxConcurrentDownloads: Int
    /// How long a download may go without receiving a byte before the attempt fails (and is retried).
    public var downloadIdleTimeout: Duration
    /// How many times a failed download attempt is retried.
    public var downloadRetries: Int
    /// The longest one download may take in all, retries and back-off included; `nil` for no limit (the idle
    /// timeout still ends a stalled attempt).
    public var downloadDeadline: Duration?

    /// Creates registry settings; every parameter has a default.
    /// - Parameters:
    ///   - unloadDrainTimeout: The default deadline for leases to end during an unload (30 s).
    ///   - defaultLoadTimeout: The load timeout for models that set none (none).
    ///   - maxConcurrentLoads: Loads that may run at once (no limit).
    ///   - maxLoadedModels: Models that may be loaded at once (no limit).
    ///   - memoryBudget: Bytes the loaded models may hold (no limit).
    ///   - capacityWaitTimeout: How long a load waits for room (30 s).
    ///   - defaultKeepAlive: Keep-alive for models that set none (forever).
    ///   - retryBackoff: Back-off between failed loads (1 s doubling to 5 min).
    ///   - healthCheckInterval: Period of health checks under ``ModelRegistry/run()`` or after
    ///     ``ModelRegistry/startHealthChecks()`` (none).
    ///   - modelsDirectory: Where remote models are downloaded to (`~/.cache/modelregistry/models`).
    ///   - maxConcurrentDownloads: Downloads that may run at once (2).
    ///   - downloadIdleTimeout: How long a download may stall before an attempt fails (60 s).
    ///   - downloadRetries: Retries of a failed download attempt (3).
    ///   - downloadDeadline: The longest a whole download may take (no limit).
    public init(
        unloadDrainTimeout: Duration = .seconds(30), defaultLoadTimeout: Duration? = nil,
        maxConcurrentLoads: Int? = nil, maxLoadedModels: Int? = nil, memoryBudget: Int? = nil,
        capacityWaitTimeout: Duration = .seconds(30), defaultKeepAlive: KeepAlive = .forever,
        retryBackoff: RetryBackoff = RetryBackoff(), healthCheckInterval: Duration? = nil,
        modelsDirectory: URL = RegistryOptions.defaultModelsDirectory, maxConcurrentDownloads: Int = 2,
        downloadIdleTimeout: Duration = .seconds(60), downloadRetries: Int = 3, downloadDeadline: Duration? = nil
    ) {
        self.unloadDrainTimeout = unloadDrainTimeout
        self.defaultLoadTimeout = defaultLoadTimeout
        self.maxConcurrentLoads = maxConcurrentLoads
        self.maxLoadedModels = maxLoadedModels
        self.memoryBudget = memoryBudget
        self.capacityWaitTimeout = capacityWaitTimeout
        self.defaultKeepAlive = defaultKeepAlive
        self.retryBackoff = retryBackoff
        self.healthCheckInterval = healthCheckInterval
        self.modelsDirectory = modelsDirectory
        self.maxConcurrentDownloads = maxConcurrentDownloads
        self.downloadIdleTimeout = downloadIdleTimeout
        self.downloadRetries = downloadRetries
        self.downloadDeadline = downloadDeadline
    }

    /// `$XDG_CACHE_HOME/modelregistry/models`, or `~/.cache/modelregistry/models`.
    public static var defaultModelsDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return cache.appendingPathComponent("modelregistry/models")
    }
}

/// Exponential back-off between retries: `initial`, doubling after each further failure, never above `maximum`.
public struct RetryBackoff: Sendable, Hashable {
    /// The wait after the first failure.
    public var initial: Duration
    /// The longest wait.
    public var maximum: Duration

    /// Creates a back-off.
    /// - Parameters:
    ///   - initial: The wait after the first failure (1 s).
    ///   - maximum: The longest wait (5 min).
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(300)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `failures` consecutive failures (1 → `initial`).
    /// - Parameter failures: Consecutive failures so far, at least 1.
    /// - Returns: The wait before the next attempt.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, failures) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
