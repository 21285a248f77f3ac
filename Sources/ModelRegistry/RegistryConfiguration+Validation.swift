import Foundation

extension RegistryConfiguration {
    /// Checks values the JSON decoder cannot: counts, paths, timeouts and the default model.
    func validate(file: String) throws(RegistryError) {
        func fail(_ model: String?, _ field: String?, _ reason: String) -> RegistryError {
            .invalidConfiguration(file: file, model: model, field: field, reason: reason)
        }
        for model in models {
            for field in ModelConfiguration.Field.allCases {
                if let problem = field.problem(in: model) { throw fail(model.name, field.rawValue, problem) }
            }
        }
        // The download manager's settings: values it would refuse must be a configuration error, not a crash.
        if options.maxConcurrentDownloads < 1 {
            throw fail(nil, "maxConcurrentDownloads", "must be at least 1, not \(options.maxConcurrentDownloads)")
        }
        if options.downloadRetries < 0 {
            throw fail(nil, "downloadRetries", "must be 0 or more, not \(options.downloadRetries)")
        }
        if options.downloadIdleTimeout <= .zero { throw fail(nil, "downloadIdleTimeoutSeconds", "must be positive") }
        if let deadline = options.downloadDeadline, deadline <= .zero {
            throw fail(nil, "downloadDeadlineSeconds", "must be positive")
        }
        // The registry's own settings: a value that would hang loads, spin a core or fail every load at once is a
        // configuration error too.
        if let limit = options.maxConcurrentLoads, limit < 1 {
            throw fail(nil, "maxConcurrentLoads", "must be at least 1 (or left out for no limit), not \(limit)")
        }
        if let limit = options.maxLoadedModels, limit < 1 {
            throw fail(nil, "maxLoadedModels", "must be at least 1 (or left out for no limit), not \(limit)")
        }
        if let budget = options.memoryBudget, budget < 1 {
            throw fail(nil, "memoryBudgetBytes", "must be positive (or left out for no budget), not \(budget)")
        }
        let positive: [(String, Duration?)] = [
            ("defaultLoadTimeoutSeconds", options.defaultLoadTimeout),
            ("healthCheckIntervalSeconds", options.healthCheckInterval),
        ]
        for case let (field, duration?) in positive where duration <= .zero {
            throw fail(nil, field, "must be positive, not \(duration.seconds)")
        }
        let notNegative: [(String, Duration)] = [
            ("unloadDrainTimeoutSeconds", options.unloadDrainTimeout),
            ("capacityWaitTimeoutSeconds", options.capacityWaitTimeout),
            ("retryInitialSeconds", options.retryBackoff.initial), ("retryMaximumSeconds", options.retryBackoff.maximum),
        ]
        for (field, duration) in notNegative where duration < .zero {
            throw fail(nil, field, "must be 0 or more, not \(duration.seconds)")
        }
        if let defaultModel, !models.contains(where: { $0.name == defaultModel }) {
            let names = models.map(\.name).joined(separator: ", ")
            throw fail(nil, "defaultModel", "\"\(defaultModel)\" is not a configured model; configured: \(names)")
        }
    }
}

/// Turns a `DecodingError` into a configuration error that names the model and the field.
enum ConfigurationDecodingError {
    static func describe(_ error: DecodingError, file: String) -> RegistryError {
        let failure = DecodingFailure(error)
        let keys = failure.path.map(\.stringValue)
        let model = keys.first == "models" && keys.count > 1 ? keys[1] : nil
        let field = model == nil ? keys.last : (keys.count > 2 ? keys[2...].joined(separator: ".") : nil)
        return .invalidConfiguration(file: file, model: model, field: field, reason: failure.reason)
    }
}
