import Foundation

extension RegistryConfiguration {
    /// Checks values the JSON decoder cannot: engines, counts, paths and the default model.
    func validate(file: String, knownEngines: Set<EngineKind>?) throws(RegistryError) {
        func fail(_ model: String?, _ field: String?, _ reason: String) -> RegistryError {
            .invalidConfiguration(file: file, model: model, field: field, reason: reason)
        }
        for model in models {
            if let knownEngines, !knownEngines.contains(model.engine) {
                let known = knownEngines.sorted().map(\.rawValue).joined(separator: ", ")
                throw fail(model.name, "engine", "unknown engine \"\(model.engine)\"; known engines: \(known)")
            }
            if model.name.isEmpty { throw fail(model.name, "name", "the model name is empty") }
            if model.path.isEmpty { throw fail(model.name, "path", "the path is empty") }
            if model.maxWorkers < 1 { throw fail(model.name, "maxWorkers", "must be at least 1, not \(model.maxWorkers)") }
            if model.queueCapacity < 1 {
                throw fail(model.name, "queueCapacity", "must be at least 1, not \(model.queueCapacity)")
            }
            for (field, value) in [("contextLength", model.contextLength), ("threads", model.threads),
                                   ("batchSize", model.batchSize), ("parallel", model.parallel)] {
                if let value, value < 1 { throw fail(model.name, field, "must be at least 1, not \(value)") }
            }
            if let timeout = model.loadTimeout, timeout <= .zero {
                throw fail(model.name, "loadTimeoutSeconds", "must be positive")
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
        if let defaultModel, !models.contains(where: { $0.name == defaultModel }) {
            let names = models.map(\.name).joined(separator: ", ")
            throw fail(nil, "defaultModel", "\"\(defaultModel)\" is not a configured model; configured: \(names)")
        }
    }
}

/// Turns a `DecodingError` into a configuration error that names the model and the field.
enum ConfigurationDecodingError {
    static func describe(_ error: DecodingError, file: String) -> RegistryError {
        let (path, reason): ([any CodingKey], String) = switch error {
        case .keyNotFound(let key, let context): (context.codingPath + [key], "required field is missing")
        case .typeMismatch(let type, let context): (context.codingPath, "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context): (context.codingPath, "expected \(type), found null")
        case .dataCorrupted(let context): (context.codingPath, "not valid JSON: \(underlyingMessage(context))")
        @unknown default: ([], "\(error)")
        }
        let keys = path.map(\.stringValue)
        let model = keys.first == "models" && keys.count > 1 ? keys[1] : nil
        let field = model == nil ? keys.last : (keys.count > 2 ? keys[2...].joined(separator: ".") : nil)
        return .invalidConfiguration(file: file, model: model, field: field, reason: reason)
    }

    private static func underlyingMessage(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError? {
            return underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? underlying.localizedDescription
        }
        return context.debugDescription
    }
}
