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
}
