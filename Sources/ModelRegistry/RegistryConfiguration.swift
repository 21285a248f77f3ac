public import Foundation

/// The contents of a registry configuration file: models by public name, and the default model.
///
/// ```json
/// {
///   "defaultModel": "iris",
///   "registry": { "maxLoadedModels": 2, "maxConcurrentLoads": 1, "keepAlive": 300 },
///   "models": {
///     "iris":  { "engine": "onnxruntime", "type": "classifier", "path": "models/logreg_iris.onnx", "maxWorkers": 2 },
///     "tiny":  { "engine": "llamacpp", "type": "llm", "path": "models/tiny.gguf", "contextLength": 256,
///                "threads": 2, "preload": true, "loadTimeoutSeconds": 30, "parameters": { "seed": "42" } }
///   }
/// }
/// ```
/// Relative paths are resolved against the file's folder.
public struct RegistryConfiguration: Sendable, Hashable {
    /// The models, sorted by name.
    public var models: [ModelConfiguration]
    /// The model ``ModelRegistry/defaultModel()`` resolves to.
    public var defaultModel: String?
    /// Registry-wide settings (the file's `"registry"` section).
    public var options: RegistryOptions

    /// Creates a configuration in code.
    /// - Parameters:
    ///   - models: The models.
    ///   - defaultModel: The default model's name.
    ///   - options: Registry-wide settings.
    public init(models: [ModelConfiguration], defaultModel: String? = nil, options: RegistryOptions = RegistryOptions()) {
        self.models = models.sorted { $0.name < $1.name }
        self.defaultModel = defaultModel
        self.options = options
    }

    /// Reads and checks a configuration file. Whether each model's (engine, type) pair has an engine is checked by
    /// ``ModelRegistry/init(factory:configuration:clock:)``, which knows the factory.
    /// - Parameter url: The file.
    /// - Returns: The configuration, with relative model paths made absolute.
    /// - Throws: ``RegistryError/invalidConfiguration(file:model:field:reason:)`` naming the file, and where it
    ///   applies the model and the field: unreadable file, bad JSON, a missing or mistyped field, a bad value, or a
    ///   default model that is not configured.
    public static func load(contentsOf url: URL) throws(RegistryError) -> RegistryConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .invalidConfiguration(file: url.path, model: nil, field: nil, reason: "cannot read the file: \(error)")
        }
        var configuration = try decode(data, file: url.path)
        let folder = url.deletingLastPathComponent()
        for index in configuration.models.indices where !configuration.models[index].isRemote {
            let path = configuration.models[index].path
            if !path.hasPrefix("/") { configuration.models[index].path = folder.appendingPathComponent(path).path }
        }
        try configuration.validate(file: url.path)
        return configuration
    }

    /// Decodes a configuration from JSON.
    /// - Parameters:
    ///   - data: The JSON.
    ///   - file: The name used in error messages.
    /// - Returns: The configuration, unvalidated, its models in the order of their names.
    /// - Throws: ``RegistryError/invalidConfiguration(file:model:field:reason:)``, also for an entry whose `name`
    ///   differs from its key (the key names the model, so two entries could otherwise claim one name).
    public static func decode(_ data: Data, file name: String) throws(RegistryError) -> RegistryConfiguration {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationDecodingError.describe(error, file: name)
        } catch {
            throw .invalidConfiguration(file: name, model: nil, field: nil, reason: "\(error)")
        }
        let entries = file.models.sorted { $0.key < $1.key }
        for (key, model) in entries where model.name != key {
            throw .invalidConfiguration(
                file: name, model: key, field: "name",
                reason: "is \"\(model.name)\", but the entry's key names the model; leave name out or make it \"\(key)\"")
        }
        return RegistryConfiguration(
            models: entries.map(\.value), defaultModel: file.defaultModel, options: file.registry ?? RegistryOptions())
    }

    /// Encodes the configuration in the file format.
    /// - Returns: Pretty-printed JSON with sorted keys.
    /// - Throws: `EncodingError` from the encoder, or `EncodingError.invalidValue` when two models share a name (the
    ///   file keys models by name).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var models: [String: ModelConfiguration] = [:]
        for model in self.models {
            guard models.updateValue(model, forKey: model.name) == nil else {
                throw EncodingError.invalidValue(model, .init(
                    codingPath: [], debugDescription: "two models are named \"\(model.name)\"; names must be unique"))
            }
        }
        return try encoder.encode(File(defaultModel: defaultModel, registry: options, models: models))
    }

    /// The file's top level.
    struct File: Codable {
        var defaultModel: String?
        var registry: RegistryOptions?
        var models: [String: ModelConfiguration]
    }
}
