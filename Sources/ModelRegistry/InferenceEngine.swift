/// An engine that serves one model: the registry creates it through an ``EngineFactory``, loads it, hands it out
/// under leases, checks its health and unloads it.
///
/// Conforming types are reference types shared across tasks, so they must be `Sendable`: wrap native handles in a
/// type that owns them, and keep mutable state in an actor or behind a lock.
///
/// ```swift
/// final class EchoEngine: InferenceEngine {
///     init() {}
///     func load(_ context: EngineLoadContext) async throws { /* open context.configuration.path */ }
///     func unload() async {}
///     func healthCheck() async -> ModelHealth { .healthy }
/// }
/// ```
public protocol InferenceEngine: AnyObject, Sendable {
    /// The keys this engine reads from a model's ``ModelConfiguration/parameters``, or `nil` to accept any key.
    ///
    /// The registry refuses a model whose `parameters` hold a key outside this set with
    /// ``RegistryError/unknownParameter(model:key:engine:known:)`` (a typo would otherwise be silently ignored).
    /// The default is `nil`, so engines that do not declare their keys keep accepting anything.
    static var parameterKeys: Set<String>? { get }

    /// Creates an engine that holds no model yet.
    init()

    /// Loads the model the context describes. The registry calls this once per engine, off the registry actor.
    /// - Parameter context: The model's public name, this load's private id and its configuration.
    /// - Throws: Any error that explains why the model cannot be loaded (missing file, corrupt file, native error).
    ///   The registry wraps it in ``RegistryError/loadFailed(name:underlying:)``.
    func load(_ context: EngineLoadContext) async throws

    /// Frees everything the model holds. The registry calls it once, after every lease has ended.
    func unload() async

    /// Checks whether the engine can serve requests.
    /// - Returns: The engine's health.
    func healthCheck() async -> ModelHealth

    /// The bytes the loaded model holds (weights, caches), or `nil` when the engine cannot tell.
    func memoryFootprint() async -> Int?

    /// Answers the configured warm-up input once (``ModelConfiguration/warmUp``), after `load` and before the
    /// registry hands the engine out, so the first real request does not pay for lazy allocations.
    /// - Parameter input: The configured input: a prompt, or an engine-specific form such as `zeros`.
    /// - Throws: Why the input cannot be answered; the registry fails the load (or the version swap) with
    ///   ``RegistryError/loadFailed(name:underlying:)``.
    func warmUp(_ input: String) async throws
}

extension InferenceEngine {
    /// Engines that do not declare the parameters they read accept any key.
    public static var parameterKeys: Set<String>? { nil }

    /// Engines that cannot tell their memory use report `nil`.
    public func memoryFootprint() async -> Int? { nil }

    /// Engines without a warm-up throw ``WarmUpUnsupported``, so a configured warm-up is never silently skipped.
    public func warmUp(_ input: String) async throws { throw WarmUpUnsupported(engine: "\(Self.self)") }
}

/// A model's configuration names a warm-up input, but its engine cannot answer one.
public struct WarmUpUnsupported: Error, CustomStringConvertible {
    /// The engine type.
    public let engine: String
    /// What went wrong and what to do.
    public var description: String { "\(engine) has no warm-up; remove `warmUp` from the model's configuration" }
}
