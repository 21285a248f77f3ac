public import Foundation

/// One registered version of a model in a ``ModelCatalog``: its file, format, stage and metadata, and optional
/// hints for the engine and model type that serve it.
///
/// ```swift
/// let version = ModelVersion(name: "iris", version: "1.0.0", path: "/models/logreg_iris.onnx", format: .onnx,
///                            modelType: .classifier)
/// try catalog.register(version)
/// let config = try version.configuration()   // engine .onnxruntime, type .classifier
/// ```
public struct ModelVersion: Sendable, Hashable, Codable {
    /// The model's name, shared by all its versions, e.g. `"iris"`.
    public var name: String
    /// This version's number.
    public var version: SemanticVersion
    /// The model file (or folder) path.
    public var path: String
    /// The file format.
    public var format: ModelFormat
    /// The life-cycle stage.
    public var stage: ModelStage
    /// What is known about the file.
    public var metadata: ModelMetadata
    /// When the version was registered.
    public var registeredAt: Date
    /// The engine that should serve this version; `nil` means the format's default engine.
    public var engine: EngineKind?
    /// What the model does; `nil` means the format's default model type.
    public var modelType: ModelType?

    /// Creates a model version.
    /// - Parameters:
    ///   - name: The model's name.
    ///   - version: The version number.
    ///   - path: The model file (or folder) path.
    ///   - format: The file format.
    ///   - stage: The life-cycle stage; new versions usually start in development.
    ///   - metadata: What is known about the file.
    ///   - registeredAt: When the version was registered.
    ///   - engine: The engine that should serve it, if not the format's default.
    ///   - modelType: What the model does, if not the format's default.
    public init(
        name: String, version: SemanticVersion, path: String, format: ModelFormat, stage: ModelStage = .development,
        metadata: ModelMetadata = ModelMetadata(), registeredAt: Date = Date(), engine: EngineKind? = nil,
        modelType: ModelType? = nil
    ) {
        self.name = name
        self.version = version
        self.path = path
        self.format = format
        self.stage = stage
        self.metadata = metadata
        self.registeredAt = registeredAt
        self.engine = engine
        self.modelType = modelType
    }

    /// `name@version`, e.g. `iris@1.0.0`.
    public var id: String { "\(name)@\(version)" }
}

// MARK: - ModelConfiguration

extension ModelVersion {
    /// A registry configuration that serves this version.
    ///
    /// The engine is `engine`, else this version's ``engine`` hint, else the format's default (onnx →
    /// `.onnxruntime`, gguf → `.llamacpp`); the model type likewise (gguf → `.llm`, onnx → `.tensor`). The
    /// context length comes from the metadata, and ``ModelConfiguration/version`` is this version's number.
    /// - Parameters:
    ///   - name: The public name to register it under; `nil` uses the catalog name.
    ///   - engine: The engine to use instead of the hint or the format's default.
    ///   - modelType: The model type to use instead of the hint or the format's default.
    /// - Returns: The configuration, with the other options at their defaults.
    /// - Throws: ``RegistryError/invalidConfiguration(file:model:field:reason:)`` naming the path when neither
    ///   an argument, a hint nor the format gives an engine or a model type.
    public func configuration(
        name: String? = nil, engine: EngineKind? = nil, modelType: ModelType? = nil
    ) throws(RegistryError) -> ModelConfiguration {
        let publicName = name ?? self.name
        guard let engine = engine ?? self.engine ?? format.defaultEngine else {
            throw .invalidConfiguration(
                file: path, model: publicName, field: "engine",
                reason: "format \(format) of \(id) has no default engine; pass engine: or register it with one")
        }
        guard let modelType = modelType ?? self.modelType ?? format.defaultModelType else {
            throw .invalidConfiguration(
                file: path, model: publicName, field: "type",
                reason: "format \(format) of \(id) has no default model type; pass modelType: or register it with one")
        }
        return ModelConfiguration(
            name: publicName, engine: engine, modelType: modelType, path: path, contextLength: metadata.contextLength,
            version: version.description)
    }
}
