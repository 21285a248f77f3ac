internal import COnnxRuntime

// MARK: - Metadata

extension ORTSession {
    /// Reads the model's inputs, outputs and metadata (`SessionGetInputCount`, `SessionGetInputName`,
    /// `SessionGetInputTypeInfo`, the output counterparts, and `SessionGetModelMetadata`).
    /// - Returns: The model's description.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func modelInfo() throws(OnnxRuntimeStatus) -> OnnxModelInfo {
        let inputs = try describe(
            count: api.table.pointee.SessionGetInputCount, name: api.table.pointee.SessionGetInputName,
            typeInfo: api.table.pointee.SessionGetInputTypeInfo)
        let outputs = try describe(
            count: api.table.pointee.SessionGetOutputCount, name: api.table.pointee.SessionGetOutputName,
            typeInfo: api.table.pointee.SessionGetOutputTypeInfo)
        var metadata: OpaquePointer?
        try withPointer { session throws(OnnxRuntimeStatus) in
            try api.check(api.table.pointee.SessionGetModelMetadata(session, &metadata))
        }
        guard let metadata else { throw .nullResult("SessionGetModelMetadata") }
        let owner = ORTModelMetadata(owning: metadata, api: api)
        return OnnxModelInfo(
            inputs: inputs, outputs: outputs, producerName: try owner.producerName(),
            graphName: try owner.graphName(), domain: try owner.domain(),
            modelDescription: try owner.modelDescription(), version: try owner.version())
    }

    private typealias CountFunction = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> OpaquePointer?
    private typealias NameFunction = @convention(c) (
        OpaquePointer?, Int, UnsafeMutablePointer<OrtAllocator>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> OpaquePointer?
    private typealias TypeInfoFunction = @convention(c) (
        OpaquePointer?, Int, UnsafeMutablePointer<OpaquePointer?>?
    ) -> OpaquePointer?

    /// Names and types of the inputs or the outputs, through the given trio of C functions.
    private func describe(
        count: CountFunction, name: NameFunction, typeInfo: TypeInfoFunction
    ) throws(OnnxRuntimeStatus) -> [TensorInfo] {
        let allocator = try api.defaultAllocator()
        return try withPointer { session throws(OnnxRuntimeStatus) in
            var total = 0
            try api.check(count(session, &total))
            var infos: [TensorInfo] = []
            for index in 0..<total {
                let valueName = try api.allocatedString(allocator) { name(session, index, allocator, $0) }
                var info: OpaquePointer?
                try api.check(typeInfo(session, index, &info))
                guard let info else { throw .nullResult("Session type info") }
                let type = try ORTTypeInfo(owning: info, api: api).describe()
                infos.append(TensorInfo(name: valueName, type: type))
            }
            return infos
        }
    }
}
