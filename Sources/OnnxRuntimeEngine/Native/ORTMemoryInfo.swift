internal import COnnxRuntime

/// Owns the `OrtMemoryInfo` that describes ordinary CPU memory (`CreateCpuMemoryInfo`), which every tensor made
/// over Swift storage is created with. One per process, created on first use, never freed.
final class ORTMemoryInfo: @unchecked Sendable {
    // Safe: ORT only reads a memory info, from any thread; `pointer` never changes.
    let pointer: OpaquePointer

    private init(api: ORTAPI) throws(OnnxRuntimeStatus) {
        var info: OpaquePointer?
        try api.check(api.table.pointee.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &info))
        guard let info else { throw .nullResult("CreateCpuMemoryInfo") }
        pointer = info
    }

    private static let shared: Result<ORTMemoryInfo, OnnxRuntimeStatus>? = ORTAPI.shared.map { api in
        Result { () throws(OnnxRuntimeStatus) in try ORTMemoryInfo(api: api) }
    }

    /// The CPU memory info.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails or the library is unsupported.
    static func cpu() throws(OnnxRuntimeStatus) -> ORTMemoryInfo {
        guard let shared else { throw .nullResult("OrtGetApiBase") }
        return try shared.get()
    }
}
