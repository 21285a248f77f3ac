internal import COnnxRuntime

/// The outputs of one run, read in place in ONNX Runtime's memory; valid only inside the closure given to
/// ``OnnxRuntimeEngine/withRun(_:outputs:_:)``.
///
/// ```swift
/// try await engine.withRun(["X": x]) { outputs in
///     let y = outputs["Y"]!
///     print(y.elementType, y.shape)                       // float [3, 2]
///     y.withUnsafeBufferPointer(of: Float.self) { print($0[0]) }
/// }
/// ```
public struct OnnxRunOutputs: @unchecked Sendable {
    // Sendable only so the engine can hand it from the native queue to the caller; see ORTValue.
    /// One computed output as ORT left it.
    enum Value {
        /// The output itself.
        case native(ORTValue)
        /// The input tensor of a ZipMap the engine removed from the session (``OnnxZipMapRewrite``): the output is
        /// its sequence of maps, built in Swift when copied.
        case zipMap(input: ORTValue, ZipMapShortcut)
    }

    let model: String
    /// The computed outputs' names, in the model's order (or the order requested).
    public let names: [String]
    let values: [Value]

    /// The output named `name`, or `nil` when it was not computed.
    public subscript(name: String) -> OnnxOutputView? {
        names.firstIndex(of: name).map { OnnxOutputView(name: name, model: model, value: values[$0]) }
    }
}

/// One output of a run, in ONNX Runtime's memory; valid only inside ``OnnxRuntimeEngine/withRun(_:outputs:_:)``.
public struct OnnxOutputView {
    /// The output's name.
    public let name: String
    let model: String
    let value: OnnxRunOutputs.Value

    /// The tensor's element type and dimensions (`GetTensorTypeAndShape`), or `nil` when the output is a sequence
    /// or map.
    public var tensorType: (elementType: TensorElementType, shape: [Int])? {
        guard case .native(let value) = value, (try? value.kind()) == ONNX_TYPE_TENSOR,
            let (type, dims) = try? value.typeAndShape()
        else { return nil }
        return (type, dims.map { Int($0) })
    }

    /// The element type, or `nil` when the output is not a tensor.
    public var elementType: TensorElementType? { tensorType?.elementType }
    /// The dimensions, or `nil` when the output is not a tensor.
    public var shape: [Int]? { tensorType?.shape }

    /// Calls `body` with the tensor's elements in place, typed as `T` (which must have the element type's size:
    /// `Float` for `float`, `UInt16` for `float16` bits, `Bool` for `bool`, …).
    /// - Parameters:
    ///   - type: The Swift element type.
    ///   - body: Reads the elements; they must not escape it.
    /// - Returns: What `body` returns.
    /// - Throws: ``OnnxRuntimeError/unsupportedOutputType(model:output:type:)`` when the output is not a numeric
    ///   tensor of that width; what `body` throws.
    public func withUnsafeBufferPointer<T: BitwiseCopyable, R>(
        of type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) throws -> R {
        guard case .native(let native) = value, let (elementType, shape) = tensorType,
            elementType.byteWidth == MemoryLayout<T>.stride
        else {
            throw OnnxRuntimeError.unsupportedOutputType(
                model: model, output: name, type: "\(tensorType.map { "tensor(\($0.elementType))" } ?? "non-tensor") "
                    + "read as \(T.self)")
        }
        let count = shape.reduce(1, *)
        let data = try native.mutableData(count: count)
        return try body(UnsafeBufferPointer(start: data?.assumingMemoryBound(to: T.self), count: data == nil ? 0 : count))
    }

    /// A copy of the output as a Swift value (what ``OnnxRuntimeEngine/run(_:outputs:)`` returns).
    /// - Throws: ``OnnxRuntimeError``: `unsupportedOutputType`, `native`.
    public func copy() throws(OnnxRuntimeError) -> OnnxValue {
        switch value {
        case .native(let value):
            return try OnnxRuntimeEngine.read(value, output: name, model: model)
        case .zipMap(let input, let shortcut):
            return try input.withPointer { pointer throws(OnnxRuntimeError) in
                var reader = ORTValueReader(api: input.api)
                return try OnnxRuntimeEngine.zip(pointer, shortcut, with: &reader, output: name, model: model)
            }
        }
    }
}
