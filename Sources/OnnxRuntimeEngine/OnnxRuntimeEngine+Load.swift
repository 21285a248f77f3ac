internal import Foundation
internal import ModelRegistry

/// The load options, read from the configuration and checked before any native call.
struct LoadSettings: Sendable {
    let name: String
    let path: String
    let threads: Int?
    let optimization: OnnxGraphOptimization?

    /// Reads and checks the options.
    /// - Throws: ``OnnxRuntimeError/invalidParameter(model:name:value:allowed:)`` for a negative thread count or an
    ///   unknown `graphOptimization` level.
    init(_ context: EngineLoadContext) throws(OnnxRuntimeError) {
        let configuration = context.configuration
        name = context.name
        path = configuration.path
        if let threads = configuration.threads, threads < 0 {
            throw .invalidParameter(
                model: name, name: "threads", value: String(threads), allowed: "0 (ORT's default) or more")
        }
        threads = configuration.threads
        if let text = configuration.parameters[OnnxGraphOptimization.parameterName] {
            guard let level = OnnxGraphOptimization(parameter: text) else {
                throw .invalidParameter(
                    model: name, name: OnnxGraphOptimization.parameterName, value: text,
                    allowed: OnnxGraphOptimization.allCases.map(\.rawValue).joined(separator: ", "))
            }
            optimization = level
        } else {
            optimization = nil
        }
    }
}

extension OnnxRuntimeEngine {
    /// Opens the model file. Blocking: runs on the native queue.
    /// - Throws: ``OnnxRuntimeError``.
    static func open(_ settings: LoadSettings) throws(OnnxRuntimeError) -> LoadedModel {
        let name = settings.name
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { throw .fileNotFound(model: name, path: settings.path) }
        let environment = try ORTEnvironment.get(model: name)
        let options = try native(name, "CreateSessionOptions") { () throws(OnnxRuntimeStatus) in
            try ORTSessionOptions(api: environment.api)
        }
        if let threads = settings.threads {
            try native(name, "SetIntraOpNumThreads") { () throws(OnnxRuntimeStatus) in
                try options.setIntraOpThreads(threads)
            }
        }
        if let level = settings.optimization {
            try native(name, "SetSessionGraphOptimizationLevel") { () throws(OnnxRuntimeStatus) in
                try options.setGraphOptimization(level)
            }
        }
        let session: ORTSession
        do throws(OnnxRuntimeStatus) {
            session = try ORTSession(path: settings.path, environment: environment, options: options)
        } catch {
            throw .invalidModel(model: name, path: settings.path, status: error)
        }
        let info = try native(name, "SessionGetModelMetadata") { () throws(OnnxRuntimeStatus) in
            try session.modelInfo()
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: settings.path)[.size] as? NSNumber)?.intValue
        return LoadedModel(name: name, path: settings.path, session: session, info: info, fileSize: size)
    }

    /// Runs an ORT call, turning its status into ``OnnxRuntimeError/native(model:operation:status:)``.
    static func native<T>(
        _ model: String, _ operation: String, _ body: () throws(OnnxRuntimeStatus) -> T
    ) throws(OnnxRuntimeError) -> T {
        do throws(OnnxRuntimeStatus) {
            return try body()
        } catch {
            throw .native(model: model, operation: operation, status: error)
        }
    }
}
