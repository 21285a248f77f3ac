/// Facts about the ONNX Runtime library this process loaded.
///
/// ```swift
/// print(OnnxRuntime.libraryVersion)              // "1.23.2"
/// print(try OnnxRuntime.availableProviders())    // ["CPUExecutionProvider", …]
/// ```
public enum OnnxRuntime {
    /// The C API version the engine needs (`ORT_API_VERSION`, 23: ONNX Runtime 1.23 or later).
    public static var requiredAPIVersion: Int { ORTAPI.requiredVersion }

    /// The version of the loaded library, from `OrtApiBase.GetVersionString`, e.g. `"1.23.2"`.
    public static var libraryVersion: String { ORTAPI.libraryVersion }

    /// Whether the loaded library provides API version ``requiredAPIVersion`` (`OrtApiBase.GetApi` returned a table).
    public static var isSupported: Bool { ORTAPI.shared != nil }

    /// The execution providers the library was built with (`GetAvailableProviders`), e.g.
    /// `["AzureExecutionProvider", "CPUExecutionProvider"]` for the PyPI wheel.
    /// - Returns: The provider names, in ORT's order.
    /// - Throws: ``OnnxRuntimeError/unsupportedLibrary(model:requiredAPI:libraryVersion:)`` when the library is too
    ///   old, ``OnnxRuntimeError/native(model:operation:status:)`` when the call fails.
    public static func availableProviders() throws(OnnxRuntimeError) -> [String] {
        let api = try ORTAPI.get(model: nil)
        do throws(OnnxRuntimeStatus) {
            return try api.availableProviders()
        } catch {
            throw .native(model: nil, operation: "GetAvailableProviders", status: error)
        }
    }

    /// The lowest level of ONNX Runtime's own log that is passed on (default ``OnnxLogLevel/error``, or the value of
    /// `MODELREGISTRY_ORT_LOG`). Raising it takes effect at once; `verbose` and `info` only reach the library when
    /// chosen before the first model loads (ORT filters them at the source).
    public static var logLevel: OnnxLogLevel {
        get { ORTLog.level }
        set { ORTLog.level = newValue }
    }

    /// Sends ONNX Runtime's log messages at or above ``logLevel`` to `handler` instead of stderr; `nil` restores
    /// stderr (plain lines, never ORT's colour codes). The handler may be called on any thread, concurrently.
    /// - Parameter handler: Receives each message.
    public static func setLogHandler(_ handler: (@Sendable (OnnxLogMessage) -> Void)?) {
        ORTLog.setHandler(handler)
    }

    /// Chooses whether models share one set of thread pools (see ``OnnxSharedThreadPool``). Call it before the
    /// first model loads; calling it again with the same choice afterwards does nothing.
    /// - Parameter pool: The shared pool, or `nil` for a pool per session (the default).
    /// - Throws: ``OnnxRuntimeError/invalidState(model:operation:state:)`` when ONNX Runtime's environment already
    ///   exists with another choice.
    public static func configureSharedThreadPool(_ pool: OnnxSharedThreadPool?) throws(OnnxRuntimeError) {
        try ORTEnvironment.configure(sharedThreadPool: pool)
    }

    /// The shared thread pool the environment has (or will be created with), or `nil` for pools per session.
    public static var sharedThreadPool: OnnxSharedThreadPool? { ORTEnvironment.configuredSharedThreadPool }
}
