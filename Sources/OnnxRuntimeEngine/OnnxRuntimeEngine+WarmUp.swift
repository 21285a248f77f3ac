import ModelRegistry

extension OnnxRuntimeEngine {
    /// Runs the model once on zeros (``ModelConfiguration/warmUp`` `zeros`): every input filled with zeros (empty
    /// strings for string inputs) at its declared shape, free dimensions 1, so the first real request does not
    /// pay for ORT's lazy allocations.
    /// - Parameter input: `zeros`, the only warm-up input this engine knows.
    /// - Throws: ``OnnxRuntimeError/invalidParameter(model:name:value:allowed:)`` for another input;
    ///   ``OnnxRuntimeError/unsupportedInputType(model:input:type:)`` for an input that is not a tensor;
    ///   ``OnnxRuntimeError/shapeTooLarge(model:input:shape:)`` for a declared shape no tensor can hold; what
    ///   ``run(_:outputs:)`` throws.
    public func warmUp(_ input: String) async throws {
        let model = state.withLock { if case .loaded(let model) = $0 { model.name } else { "" } }
        guard input == "zeros" else {
            throw OnnxRuntimeError.invalidParameter(model: model, name: "warmUp", value: input, allowed: "zeros")
        }
        var tensors: [String: Tensor] = [:]
        for info in inputs {
            guard case .tensor(let elementType, let declared) = info.type else {
                throw OnnxRuntimeError.unsupportedInputType(model: model, input: info.name, type: info.type.typeName)
            }
            let shape = declared.map { $0 < 0 ? 1 : Int($0) }
            guard let count = Tensor.elementCount(of: shape) else {
                throw OnnxRuntimeError.shapeTooLarge(model: model, input: info.name, shape: shape)
            }
            guard let elements = Self.zeros(elementType, count: count) else {
                throw OnnxRuntimeError.unsupportedInputType(model: model, input: info.name, type: info.type.typeName)
            }
            tensors[info.name] = Tensor(shape: shape, elements: elements)
        }
        _ = try await run(tensors)
    }

    /// `count` zeros of an element type, or `nil` for a type a ``Tensor`` cannot hold.
    static func zeros(_ type: TensorElementType, count: Int) -> Tensor.Elements? {
        switch type {
        case .bool: .bool(Array(repeating: false, count: count))
        case .uint8: .uint8(Array(repeating: 0, count: count))
        case .int8: .int8(Array(repeating: 0, count: count))
        case .uint16: .uint16(Array(repeating: 0, count: count))
        case .int16: .int16(Array(repeating: 0, count: count))
        case .uint32: .uint32(Array(repeating: 0, count: count))
        case .int32: .int32(Array(repeating: 0, count: count))
        case .uint64: .uint64(Array(repeating: 0, count: count))
        case .int64: .int64(Array(repeating: 0, count: count))
        case .float16: .float16(bits: Array(repeating: 0, count: count))
        case .bfloat16: .bfloat16(bits: Array(repeating: 0, count: count))
        case .float: .float(Array(repeating: 0, count: count))
        case .double: .double(Array(repeating: 0, count: count))
        case .string: .string(Array(repeating: "", count: count))
        default: nil
        }
    }
}
