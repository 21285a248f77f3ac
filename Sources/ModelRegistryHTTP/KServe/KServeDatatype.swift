import OnnxRuntimeEngine

/// One tensor datatype of the KServe v2 protocol and how it maps onto the ONNX engine's ``Tensor``.
///
/// Adding a datatype the engine can hold is one entry in ``supported``.
struct KServeDatatype: Sendable {
    /// The protocol's name, e.g. `FP32`.
    let name: String
    /// The ONNX element type.
    let elementType: TensorElementType
    /// Builds a tensor from the request's (flattened) elements.
    /// - Throws: ``KServeValueError`` for the first element the datatype cannot hold as given (a fraction or an
    ///   out-of-range number for an integer type, a number beyond a floating-point type's range, a boolean for a
    ///   number type, a string other than `"NaN"`, `"Infinity"` or `"-Infinity"` for a floating-point type, or
    ///   anything but a string for `BYTES`).
    let tensor: @Sendable (_ shape: [Int], _ data: [KServeElement]) throws(KServeValueError) -> Tensor
    /// The tensor's elements as JSON elements; `nil` when the tensor holds another type.
    let values: @Sendable (Tensor) -> [KServeElement]?

    /// Every datatype the engine's ``Tensor`` holds, by the protocol's names.
    static let supported: [KServeDatatype] = {
        var datatypes = [
            KServeDatatype(
                name: "BOOL", elementType: .bool,
                tensor: { shape, data throws(KServeValueError) in
                    Tensor(shape: shape, try converted(data) { if case .bool(let value) = $0 { value } else { nil } })
                },
                values: { $0.bools?.map(KServeElement.bool) }),
            integer("UINT8", UInt8.self, .uint8), integer("UINT16", UInt16.self, .uint16),
            integer("UINT32", UInt32.self, .uint32), integer("UINT64", UInt64.self, .uint64),
            integer("INT8", Int8.self, .int8), integer("INT16", Int16.self, .int16),
            integer("INT32", Int32.self, .int32), integer("INT64", Int64.self, .int64),
        ]
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        datatypes.append(KServeDatatype(
            name: "FP16", elementType: .float16,
            tensor: { shape, data throws(KServeValueError) in
                Tensor(shape: shape, float16s: try converted(data) { $0.double.flatMap(narrowed(to: Float16.self)) })
            },
            values: { $0.float16s?.map { .float(Float($0)) } }))
        #endif
        datatypes += [
            KServeDatatype(
                name: "BF16", elementType: .bfloat16,
                tensor: { shape, data throws(KServeValueError) in
                    let floats = try converted(data) { $0.double.flatMap(narrowed(to: Float.self)) }
                    let tensor = Tensor(shape: shape, bfloat16From: floats)
                    // rounding may carry a value just below Float's largest into infinity: beyond the range too
                    let rounded = tensor.bfloat16AsFloats ?? []
                    if let index = floats.indices.first(where: { floats[$0].isFinite && !rounded[$0].isFinite }) {
                        throw KServeValueError(index: index, element: data[index])
                    }
                    return tensor
                },
                values: { $0.bfloat16AsFloats?.map(KServeElement.float) }),
            KServeDatatype(
                name: "FP32", elementType: .float,
                tensor: { shape, data throws(KServeValueError) in
                    Tensor(shape: shape, floats: try converted(data) { $0.double.flatMap(narrowed(to: Float.self)) })
                },
                values: { $0.floats?.map(KServeElement.float) }),
            KServeDatatype(
                name: "FP64", elementType: .double,
                tensor: { shape, data throws(KServeValueError) in
                    Tensor(shape: shape, doubles: try converted(data) { $0.double })
                },
                values: { $0.doubles?.map(KServeElement.double) }),
            KServeDatatype(
                name: "BYTES", elementType: .string,
                tensor: { shape, data throws(KServeValueError) in
                    Tensor(shape: shape, strings: try converted(data) { if case .string(let value) = $0 { value } else { nil } })
                },
                values: { $0.strings?.map(KServeElement.string) }),
        ]
        return datatypes
    }()

    /// An integer datatype: whole numbers in `T`'s range.
    private static func integer<T: FixedWidthInteger & TensorScalar>(
        _ name: String, _ type: T.Type, _ elementType: TensorElementType
    ) -> KServeDatatype {
        KServeDatatype(
            name: name, elementType: elementType,
            tensor: { shape, data throws(KServeValueError) in
                Tensor(shape: shape, try converted(data) { $0.integer(as: T.self) })
            },
            values: { $0.values(as: T.self)?.map(KServeElement.init(integer:)) })
    }

    /// `value` in a narrower floating-point type; `nil` when a finite value is beyond its range (refused, as an
    /// `INT64` that does not fit is, rather than turned into infinity). NaN and the infinities pass.
    private static func narrowed<T: BinaryFloatingPoint>(to type: T.Type) -> (Double) -> T? {
        { value in
            let narrow = T(value)
            return narrow.isFinite || !value.isFinite ? narrow : nil
        }
    }

    /// Each element converted, or the first one `convert` refuses.
    private static func converted<Element>(
        _ data: [KServeElement], _ convert: (KServeElement) -> Element?
    ) throws(KServeValueError) -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(data.count)
        for (index, element) in data.enumerated() {
            guard let converted = convert(element) else { throw KServeValueError(index: index, element: element) }
            elements.append(converted)
        }
        return elements
    }

    /// The supported datatype of a protocol name.
    static func named(_ name: String) -> KServeDatatype? { supported.first { $0.name == name } }

    /// The supported datatype of an ONNX element type.
    static func of(_ elementType: TensorElementType) -> KServeDatatype? { supported.first { $0.elementType == elementType } }

    /// The protocol's name for any ONNX element type (for metadata, including types the engine cannot exchange).
    static func protocolName(of elementType: TensorElementType) -> String {
        of(elementType)?.name ?? (elementType == .float16 ? "FP16" : elementType.description.uppercased())
    }
}
