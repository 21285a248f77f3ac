package import Foundation
package import ModelRegistry

/// The preflight settings of one load, read from the model's configuration parameters:
///
/// | Parameter | Meaning | Default |
/// |---|---|---|
/// | `preflight` | `auto`, `always`, `never` (``PreflightMode``) | `auto` |
/// | `preflightExecutable` | the `model-preflight` program | `$MODELREGISTRY_PREFLIGHT`, then beside the running executable |
/// | `preflightCache` | the folder of verdicts | `$MODELREGISTRY_PREFLIGHT_CACHE`, then `~/.cache/modelregistry/preflight` |
///
/// The child is bounded by the model's `loadTimeout` (10 minutes when it has none).
package struct PreflightOptions: Sendable {
    /// The bound on a child without a configured load timeout.
    static let defaultTimeout: Duration = .seconds(600)

    /// The parameter choosing the ``PreflightMode``.
    static let modeParameter = "preflight"
    /// The parameter naming the `model-preflight` program.
    static let executableParameter = "preflightExecutable"
    /// The parameter naming the folder of verdicts.
    static let cacheParameter = "preflightCache"
    /// The parameter keys read here: every engine that runs the preflight reads them too.
    package static let parameterKeys: Set<String> = [modeParameter, executableParameter, cacheParameter]

    package let mode: PreflightMode
    package let explicitExecutable: String?
    package let cacheDirectory: URL
    package let timeout: Duration

    /// Reads the settings.
    /// - Parameters:
    ///   - configuration: The model's configuration.
    ///   - environment: The process environment (for `MODELREGISTRY_PREFLIGHT_CACHE`).
    /// - Throws: ``PreflightError/invalidParameter(model:name:value:expected:)`` for an unknown mode.
    package init(
        _ configuration: ModelConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let parameters = configuration.parameters
        if let text = parameters[Self.modeParameter] {
            guard let mode = PreflightMode(rawValue: text.lowercased()) else {
                throw PreflightError.invalidParameter(
                    model: configuration.name, name: Self.modeParameter, value: text,
                    expected: PreflightMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.mode = mode
        } else {
            mode = .auto
        }
        explicitExecutable = parameters[Self.executableParameter].flatMap { $0.isEmpty ? nil : $0 }
        if let folder = parameters[Self.cacheParameter] ?? environment["MODELREGISTRY_PREFLIGHT_CACHE"], !folder.isEmpty {
            cacheDirectory = URL(fileURLWithPath: folder)
        } else {
            cacheDirectory = RegistryOptions.defaultModelsDirectory.deletingLastPathComponent()
                .appendingPathComponent("preflight")
        }
        timeout = configuration.loadTimeout ?? Self.defaultTimeout
    }
}
