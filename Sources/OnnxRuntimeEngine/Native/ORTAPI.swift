internal import COnnxRuntime

/// The ONNX Runtime C API table for ``ORT_API_VERSION``, fetched once per process, and the one function that turns
/// an `OrtStatus*` into a Swift error.
struct ORTAPI: @unchecked Sendable {
    // Safe to share: `table` points at immutable static data inside libonnxruntime that lives as long as the
    // process, and every function in it may be called from any thread.
    /// The function table.
    let table: UnsafePointer<OrtApi>

    /// The API version these bindings need (`ORT_API_VERSION` in `onnxruntime_subset.h`).
    static let requiredVersion = Int(ORT_API_VERSION)

    /// The library's version string (`OrtApiBase.GetVersionString`), e.g. `"1.23.2"`.
    static let libraryVersion: String =
        OrtGetApiBase().pointee.GetVersionString().map { String(cString: $0) } ?? "unknown"

    /// The table, or `nil` when the library is older than ``requiredVersion`` (`OrtApiBase.GetApi` returned NULL).
    static let shared: ORTAPI? = OrtGetApiBase().pointee.GetApi(UInt32(ORT_API_VERSION)).map(ORTAPI.init(table:))

    /// The shared table.
    /// - Parameter model: The model to name in the error.
    /// - Returns: The table.
    /// - Throws: ``OnnxRuntimeError/unsupportedLibrary(model:requiredAPI:libraryVersion:)`` naming the version found.
    static func get(model: String?) throws(OnnxRuntimeError) -> ORTAPI {
        guard let shared else {
            throw .unsupportedLibrary(model: model, requiredAPI: requiredVersion, libraryVersion: libraryVersion)
        }
        return shared
    }

    /// Turns a status returned by a C API call into a Swift error and releases the status.
    /// - Parameter status: The returned `OrtStatus*`; NULL means success.
    /// - Throws: ``OnnxRuntimeStatus`` with ORT's error code and message (`GetErrorCode`, `GetErrorMessage`).
    @inline(__always)
    func check(_ status: OpaquePointer?) throws(OnnxRuntimeStatus) {
        // Inlined for the NULL that a dozen calls of every run return; the error itself is read out of line.
        guard let status else { return }
        throw failure(status)
    }

    /// The error for a non-NULL status, which it releases.
    @inline(never)
    private func failure(_ status: OpaquePointer) -> OnnxRuntimeStatus {
        let code = table.pointee.GetErrorCode(status)
        let message = table.pointee.GetErrorMessage(status).map { String(cString: $0) } ?? ""
        table.pointee.ReleaseStatus(status)
        return OnnxRuntimeStatus(code: OnnxRuntimeStatus.Code(rawValue: Int(code.rawValue)), message: message)
    }

    /// ORT's default CPU allocator (`GetAllocatorWithDefaultOptions`). ORT owns it: never free it.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func defaultAllocator() throws(OnnxRuntimeStatus) -> UnsafeMutablePointer<OrtAllocator> {
        var allocator: UnsafeMutablePointer<OrtAllocator>?
        try check(table.pointee.GetAllocatorWithDefaultOptions(&allocator))
        guard let allocator else { throw .nullResult("GetAllocatorWithDefaultOptions") }
        return allocator
    }

    /// Reads a string ORT allocated with `allocator` and frees it (`AllocatorFree`).
    /// - Parameters:
    ///   - allocator: The allocator that allocated the string.
    ///   - fill: Calls the C function that writes the string's address.
    /// - Returns: The string (empty when ORT wrote NULL).
    /// - Throws: ``OnnxRuntimeStatus`` when the call fails.
    func allocatedString(
        _ allocator: UnsafeMutablePointer<OrtAllocator>,
        _ fill: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> OpaquePointer?
    ) throws(OnnxRuntimeStatus) -> String {
        var raw: UnsafeMutablePointer<CChar>?
        try check(fill(&raw))
        guard let raw else { return "" }
        defer { _ = table.pointee.AllocatorFree(allocator, raw).map { table.pointee.ReleaseStatus($0) } }
        return String(cString: raw)
    }

    /// The execution providers this library was built with (`GetAvailableProviders`, slot 125 of the table, then
    /// `ReleaseAvailableProviders`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func availableProviders() throws(OnnxRuntimeStatus) -> [String] {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int32 = 0
        try check(table.pointee.GetAvailableProviders(&list, &count))
        guard let list else { return [] }
        let names = (0..<Int(count)).map { list[$0].map { String(cString: $0) } ?? "" }
        try check(table.pointee.ReleaseAvailableProviders(list, count))
        return names
    }
}
