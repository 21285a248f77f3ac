internal import COnnxRuntime

/// Owns one `OrtModelMetadata` (`SessionGetModelMetadata`), read once while a model loads.
final class ORTModelMetadata {
    private let pointer: OpaquePointer
    private let api: ORTAPI

    /// Takes ownership of a metadata handle; it is freed with `ReleaseModelMetadata`.
    init(owning pointer: OpaquePointer, api: ORTAPI) {
        self.pointer = pointer
        self.api = api
    }

    deinit { api.table.pointee.ReleaseModelMetadata(pointer) }

    /// The tool that wrote the model (`ModelMetadataGetProducerName`).
    func producerName() throws(OnnxRuntimeStatus) -> String {
        try string(api.table.pointee.ModelMetadataGetProducerName)
    }

    /// The graph's name (`ModelMetadataGetGraphName`).
    func graphName() throws(OnnxRuntimeStatus) -> String {
        try string(api.table.pointee.ModelMetadataGetGraphName)
    }

    /// The model's domain (`ModelMetadataGetDomain`).
    func domain() throws(OnnxRuntimeStatus) -> String {
        try string(api.table.pointee.ModelMetadataGetDomain)
    }

    /// The model's documentation string (`ModelMetadataGetDescription`).
    func modelDescription() throws(OnnxRuntimeStatus) -> String {
        try string(api.table.pointee.ModelMetadataGetDescription)
    }

    /// The model's version number (`ModelMetadataGetVersion`).
    func version() throws(OnnxRuntimeStatus) -> Int64 {
        var value: Int64 = 0
        try api.check(api.table.pointee.ModelMetadataGetVersion(pointer, &value))
        return value
    }

    private typealias StringGetter = @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<OrtAllocator>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> OpaquePointer?

    private func string(_ getter: StringGetter) throws(OnnxRuntimeStatus) -> String {
        let allocator = try api.defaultAllocator()
        return try api.allocatedString(allocator) { getter(pointer, allocator, $0) }
    }
}
