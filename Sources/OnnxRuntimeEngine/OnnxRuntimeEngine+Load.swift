internal import Foundation
internal import ModelRegistry

/// The load options, read from the configuration and checked before any native call.
struct LoadSettings: Sendable {
    let name: String
    let path: String
    let threads: Int?
    let optimization: OnnxGraphOptimization?
    /// Runs expected to take at most this long execute on the calling thread (see ``RunCostEstimate``).
    let inlineRunBudget: Duration

    /// The parameter that sets ``inlineRunBudget``, in microseconds.
    static let inlineRunParameter = "inlineRunMicroseconds"
    /// ``inlineRunBudget`` when the parameter is absent.
    static let defaultInlineRunBudget = Duration.microseconds(50)

    /// Reads and checks the options.
    /// - Throws: ``OnnxRuntimeError/invalidParameter(model:name:value:allowed:)`` for a negative thread count, an
    ///   unknown `graphOptimization` level, or an `inlineRunMicroseconds` that is not a whole number from 0.
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
        if let text = configuration.parameters[Self.inlineRunParameter] {
            guard let microseconds = Int(text.trimmingCharacters(in: .whitespaces)), microseconds >= 0 else {
                throw .invalidParameter(
                    model: name, name: Self.inlineRunParameter, value: text,
                    allowed: "a whole number of microseconds from 0 (0 runs everything on the native queue)")
            }
            inlineRunBudget = .microseconds(microseconds)
        } else {
            inlineRunBudget = Self.defaultInlineRunBudget
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
        return LoadedModel(
            name: name, path: settings.path, session: session, info: info, fileSize: size,
            runCost: Locked(RunCostEstimate(inlineBudget: settings.inlineRunBudget)))
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
